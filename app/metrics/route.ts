import { onlyMethods } from "@/lib/api/handler";
import { metricsRoute } from "@/lib/monitoring/metrics-endpoint";

export const dynamic = "force-dynamic";

// Prometheus scrape endpoint (README, Monitoring): OpenMetrics, bearer token ORQ_METRICS_TOKEN.
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = onlyMethods({
  GET: async (request: Request) => metricsRoute(request),
});

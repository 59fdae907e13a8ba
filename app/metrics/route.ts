import { onlyMethods } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { serveMetrics } from "@/lib/monitoring/metrics-endpoint";

export const dynamic = "force-dynamic";

// Prometheus scrape endpoint (README, Monitoring): OpenMetrics, bearer token ORQ_METRICS_TOKEN.
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = onlyMethods({
  GET: async (request: Request) => serveMetrics(request, prisma()),
});

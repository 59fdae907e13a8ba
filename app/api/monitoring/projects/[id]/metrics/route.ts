import { jsonRoute } from "@/lib/machines/json-route";
import { projectMetricsSchema } from "@/lib/monitoring/schemas";
import { getProjectMetrics } from "@/lib/monitoring/get-project-metrics";
import { onlyMethods } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

// The monitoring page's project charts poll this (session-authenticated).
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = onlyMethods({
  GET: async (req: Request, { params }: { params: Promise<{ id: string }> }) => {
    const { id } = await params;
    const range = new URL(req.url).searchParams.get("range") ?? undefined;
    return jsonRoute(projectMetricsSchema, { projectId: id, range }, getProjectMetrics);
  },
});

import { jsonRoute } from "@/lib/machines/json-route";
import { machineMetricsSchema } from "@/lib/monitoring/schemas";
import { getMachineMetrics } from "@/lib/monitoring/get-machine-metrics";
import { onlyMethods } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

// The machine page's charts poll this (session-authenticated).
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = onlyMethods({
  GET: async (req: Request, { params }: { params: Promise<{ id: string }> }) => {
    const { id } = await params;
    const range = new URL(req.url).searchParams.get("range") ?? undefined;
    return jsonRoute(machineMetricsSchema, { machineId: id, range }, getMachineMetrics);
  },
});

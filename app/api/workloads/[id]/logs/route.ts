import { jsonRoute, queryOf } from "@/lib/machines/json-route";
import { workloadLogsSchema } from "@/lib/workloads/schemas";
import { workloadLogs } from "@/lib/workloads/workload-logs";
import { onlyMethods } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = onlyMethods({
  GET: async (req: Request, { params }: { params: Promise<{ id: string }> }) => {
    const { id } = await params;
    return jsonRoute(workloadLogsSchema, { ...queryOf(req.url), workloadId: id }, workloadLogs);
  },
});

import { jsonRoute } from "@/lib/machines/json-route";
import { workloadIdSchema } from "@/lib/workloads/schemas";
import { getWorkload } from "@/lib/workloads/get-workload";
import { onlyMethods } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = onlyMethods({
  GET: async (_req: Request, { params }: { params: Promise<{ id: string }> }) => {
    const { id } = await params;
    return jsonRoute(workloadIdSchema, { workloadId: id }, getWorkload);
  },
});

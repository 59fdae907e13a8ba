import { jsonRoute, queryOf } from "@/lib/machines/json-route";
import { listWorkloadsSchema } from "@/lib/workloads/schemas";
import { listWorkloads } from "@/lib/workloads/get-workload";
import { onlyMethods } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = onlyMethods({
  GET: async (req: Request) => jsonRoute(listWorkloadsSchema, queryOf(req.url), listWorkloads),
});

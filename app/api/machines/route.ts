import { jsonRoute, queryOf } from "@/lib/machines/json-route";
import { listMachinesSchema } from "@/lib/machines/schemas";
import { listMachines } from "@/lib/machines/list-machines";
import { onlyMethods } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = onlyMethods({
  GET: (req: Request) => jsonRoute(listMachinesSchema, queryOf(req.url), listMachines),
});

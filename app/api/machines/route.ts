import { jsonRoute, queryOf } from "@/lib/machines/json-route";
import { listMachinesSchema } from "@/lib/machines/schemas";
import { listMachines } from "@/lib/machines/list-machines";
import { onlyMethods } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = onlyMethods({
  // The table's live refresh: the rows only (the filter's choices are the page's, read once).
  GET: (req: Request) => jsonRoute(listMachinesSchema, queryOf(req.url), (ctx, input) => listMachines(ctx, input, { withProjects: false })),
});

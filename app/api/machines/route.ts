import { jsonRoute, queryOf } from "@/lib/machines/json-route";
import { listMachinesSchema } from "@/lib/machines/schemas";
import { listMachines } from "@/lib/machines/list-machines";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  return jsonRoute(listMachinesSchema, queryOf(req.url), listMachines);
}

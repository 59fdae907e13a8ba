// The machines list as CSV, with the filters and order of /machines (session-authenticated).
import { listMachinesSchema } from "@/lib/machines/schemas";
import { exportMachines, MACHINE_CSV_HEADER } from "@/lib/machines/export-machines";
import { csvRoute } from "@/lib/csv/csv-route";
import { queryOf } from "@/lib/machines/json-route";

export const dynamic = "force-dynamic";

export function GET(req: Request) {
  return csvRoute(listMachinesSchema, queryOf(req.url), { name: "machines", header: MACHINE_CSV_HEADER }, exportMachines);
}

// The workloads list as CSV, with the filters and order of /workloads (session-authenticated).
import { listWorkloadsSchema } from "@/lib/workloads/schemas";
import { exportWorkloads, WORKLOAD_CSV_HEADER } from "@/lib/workloads/export-workloads";
import { csvRoute } from "@/lib/csv/csv-route";
import { queryOf } from "@/lib/machines/json-route";

export const dynamic = "force-dynamic";

export function GET(req: Request) {
  return csvRoute(listWorkloadsSchema.omit({ cursor: true }), queryOf(req.url), { name: "workloads", header: WORKLOAD_CSV_HEADER }, exportWorkloads);
}

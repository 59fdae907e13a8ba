// My requests as CSV, with the filters and order of /requests (session-authenticated).
import { listMyRequestsSchema } from "@/lib/requests/schemas";
import { exportMyRequests, REQUEST_CSV_HEADER } from "@/lib/requests/export-my-requests";
import { csvRoute } from "@/lib/csv/csv-route";
import { queryOf } from "@/lib/machines/json-route";

export const dynamic = "force-dynamic";

export function GET(req: Request) {
  return csvRoute(listMyRequestsSchema, queryOf(req.url), { name: "requests", header: REQUEST_CSV_HEADER }, exportMyRequests);
}

// The users list as CSV (administrators), with the search and order of /admin/users.
import { listUsersSchema } from "@/lib/users/schemas";
import { exportUsers, USER_CSV_HEADER } from "@/lib/users/export-users";
import { csvRoute } from "@/lib/csv/csv-route";
import { queryOf } from "@/lib/machines/json-route";

export const dynamic = "force-dynamic";

export function GET(req: Request) {
  return csvRoute(listUsersSchema.omit({ page: true }), queryOf(req.url), { name: "users", header: USER_CSV_HEADER }, (ctx, input) => exportUsers(ctx, { ...input, page: 1 }));
}

// The projects list as CSV (administrators), with the search and order of /admin/projects.
import { listProjectPageSchema } from "@/lib/projects/schemas";
import { exportProjects, PROJECT_CSV_HEADER } from "@/lib/projects/export-projects";
import { csvRoute } from "@/lib/csv/csv-route";
import { queryOf } from "@/lib/machines/json-route";

export const dynamic = "force-dynamic";

export function GET(req: Request) {
  return csvRoute(listProjectPageSchema.omit({ cursor: true }), queryOf(req.url), { name: "projects", header: PROJECT_CSV_HEADER }, (ctx, input) => exportProjects(ctx, input));
}

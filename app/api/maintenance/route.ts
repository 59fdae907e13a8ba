import { jsonRoute, queryOf } from "@/lib/machines/json-route";
import { maintenanceCalendarSchema } from "@/lib/maintenance/schemas";
import { getMaintenanceOverview } from "@/lib/maintenance/get-maintenance-overview";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  return jsonRoute(maintenanceCalendarSchema, queryOf(req.url), getMaintenanceOverview);
}

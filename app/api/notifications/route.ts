import { jsonRoute, queryOf } from "@/lib/machines/json-route";
import { listNotificationsSchema } from "@/lib/notifications/schemas";
import { listNotifications } from "@/lib/notifications/list-notifications";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  return jsonRoute(listNotificationsSchema, queryOf(req.url), listNotifications);
}

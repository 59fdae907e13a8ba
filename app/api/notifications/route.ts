import { jsonRoute, queryOf } from "@/lib/machines/json-route";
import { listNotificationsSchema } from "@/lib/notifications/schemas";
import { listNotifications } from "@/lib/notifications/list-notifications";
import { onlyMethods } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = onlyMethods({
  GET: (req: Request) => jsonRoute(listNotificationsSchema, queryOf(req.url), listNotifications),
});

// My requests as JSON for the list's live refresh (session-authenticated; the API's
// /api/v1/requests is the token-authenticated twin).
import { jsonRoute, queryOf } from "@/lib/machines/json-route";
import { listMyRequestsSchema } from "@/lib/requests/schemas";
import { listMyRequests } from "@/lib/requests/list-my-requests";
import { onlyMethods } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = onlyMethods({
  GET: (req: Request) => jsonRoute(listMyRequestsSchema, queryOf(req.url), listMyRequests),
});

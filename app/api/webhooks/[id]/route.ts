import { jsonRoute, queryOf } from "@/lib/machines/json-route";
import { getWebhookSchema } from "@/lib/webhooks/schemas";
import { getWebhook } from "@/lib/webhooks/get-webhook";

export const dynamic = "force-dynamic";

// The webhook detail page polls its delivery log here (session cookie; the API's
// GET /api/v1/webhooks/{id} is the same verb for token holders).
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const q = queryOf(req.url);
  return jsonRoute(getWebhookSchema, { id, page: q.page === undefined ? 1 : Number(q.page) }, getWebhook);
}

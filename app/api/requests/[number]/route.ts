import { jsonRoute } from "@/lib/machines/json-route";
import { requestNumberSchema } from "@/lib/requests/schemas";
import { getRequestPage } from "@/lib/requests/get-request-page";
import { onlyMethods } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

// The request page's live data (components/requests/request-page.tsx polls it).
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = onlyMethods({
  GET: async (_req: Request, { params }: { params: Promise<{ number: string }> }) => {
    const { number } = await params;
    return jsonRoute(requestNumberSchema, { number }, getRequestPage);
  },
});

import { jsonRoute } from "@/lib/machines/json-route";
import { projectAlertsSchema } from "@/lib/monitoring/schemas";
import { getProjectAlerts } from "@/lib/monitoring/alert-rules";
import { onlyMethods } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

// The monitoring page's live rules and alert history poll this (session-authenticated).
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = onlyMethods({
  GET: async (_req: Request, { params }: { params: Promise<{ id: string }> }) => {
    const { id } = await params;
    return jsonRoute(projectAlertsSchema, { projectId: id }, getProjectAlerts);
  },
});

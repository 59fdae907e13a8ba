import { jsonRoute } from "@/lib/machines/json-route";
import { scalingGroupIdSchema } from "@/lib/scaling/schemas";
import { getScalingGroup } from "@/lib/scaling/read-groups";
import { onlyMethods } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

// The scaling group page polls this (session-authenticated): members, decisions, chart series.
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = onlyMethods({
  GET: async (_req: Request, { params }: { params: Promise<{ id: string }> }) => {
    const { id } = await params;
    return jsonRoute(scalingGroupIdSchema, { groupId: id }, getScalingGroup);
  },
});

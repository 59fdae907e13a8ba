import { jsonRoute } from "@/lib/machines/json-route";
import { listSchedulesSchema } from "@/lib/schedules/schemas";
import { listSchedules } from "@/lib/schedules/list-schedules";
import { onlyMethods } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

// The machine page's Schedules and Availability panels poll this (next and last runs change by themselves).
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = onlyMethods({
  GET: async (_req: Request, { params }: { params: Promise<{ id: string }> }) => {
    const { id } = await params;
    return jsonRoute(listSchedulesSchema, { machineId: id }, listSchedules);
  },
});

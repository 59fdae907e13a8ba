import { jsonRoute } from "@/lib/machines/json-route";
import { machineIdSchema } from "@/lib/machines/schemas";
import { getMachine } from "@/lib/machines/get-machine";
import { onlyMethods } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = onlyMethods({
  GET: async (_req: Request, { params }: { params: Promise<{ id: string }> }) => {
    const { id } = await params;
    return jsonRoute(machineIdSchema, { machineId: id }, getMachine);
  },
});

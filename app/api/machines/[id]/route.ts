import { jsonRoute } from "@/lib/machines/json-route";
import { machineIdSchema } from "@/lib/machines/schemas";
import { getMachine } from "@/lib/machines/get-machine";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return jsonRoute(machineIdSchema, { machineId: id }, getMachine);
}

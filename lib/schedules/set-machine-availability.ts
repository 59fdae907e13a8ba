import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { recordAudit } from "../audit/record-audit";
import { loadOperableMachine } from "../machines/request-operation";
import type { setMachineAvailabilitySchema } from "./schemas";

/** The owner's HA flag (restart elsewhere when the host fails) and stop window (cold moves). */
export async function setMachineAvailability(ctx: Ctx, input: z.infer<typeof setMachineAvailabilitySchema>) {
  const m = await loadOperableMachine(ctx, input.machineId);
  const after = { highlyAvailable: input.highlyAvailable, stopWindowCron: input.stopWindowCron ?? null, stopWindowMinutes: input.stopWindowMinutes ?? null };
  return ctx.db.$transaction(async (tx) => {
    await tx.machine.update({ where: { id: m.id }, data: after });
    await recordAudit(tx, ctx, {
      action: "machine.availability",
      targetType: "Machine",
      targetId: m.id,
      projectId: m.projectId,
      before: { highlyAvailable: m.highlyAvailable, stopWindowCron: m.stopWindowCron, stopWindowMinutes: m.stopWindowMinutes },
      after,
    });
    return { machineId: m.id, ...after };
  });
}

import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";

export async function removeSimFault(ctx: Ctx, input: { faultId: string }) {
  assertCan(ctx.actor, "provider.manage");
  return ctx.db.$transaction(async (tx) => {
    const fault = await tx.simFault.findUnique({ where: { id: input.faultId } });
    if (!fault) throw notFound("Fault");
    await tx.simFault.delete({ where: { id: fault.id } });
    await recordAudit(tx, ctx, { action: "simulator.fault_remove", targetType: "Provider", targetId: fault.providerId, before: fault });
    return { id: fault.id };
  });
}

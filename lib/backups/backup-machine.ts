import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { assertActionAllowed, loadOperableMachine } from "../machines/request-operation";
import { requestBackup } from "./request-backup";
import type { backupMachineSchema } from "./schemas";

/** "Back up now": a Backup (PENDING) and its BACKUP operation, audited, in one transaction. */
export async function backupMachine(ctx: Ctx, input: z.infer<typeof backupMachineSchema>) {
  const machine = await loadOperableMachine(ctx, input.machineId);
  assertCan(ctx.actor, "backup.manage", machine.projectId);
  assertActionAllowed("BACKUP", machine);
  const target = await ctx.db.backupTarget.findUnique({ where: { id: input.targetId }, select: { id: true, name: true } });
  if (!target) throw notFound("Backup target");
  return ctx.db.$transaction(async (tx) => {
    const r = await requestBackup(tx, machine, { targetId: target.id, requestedById: ctx.actor.id });
    await recordAudit(tx, ctx, {
      action: "machine.backup",
      targetType: "Machine",
      targetId: machine.id,
      projectId: machine.projectId,
      after: { backupId: r.backupId, operationId: r.operationId, target: target.name },
    });
    return { ...r, machineId: machine.id, state: machine.state };
  });
}

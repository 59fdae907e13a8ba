// Transfer a machine to another member of its project (issue 16). Who may: the project's
// approvers and administrators, or the machine's owner (who may operate it). The new owner must
// be an active member (not a viewer) of the project; they are notified; the change is audited.
import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { can } from "../auth/permissions";
import { recordAudit } from "../audit/record-audit";
import { conflict, forbidden, validationError } from "../errors";
import { notify } from "../notifications/notify";
import { loadOperableMachine } from "./request-operation";
import type { transferMachineSchema } from "./schemas";
import { fe } from "../../i18n/field-message";

/** May the actor hand this machine to someone else? */
export const canTransfer = (actor: Ctx["actor"], machine: { projectId: string; ownerId: string }) =>
  can(actor, "request.approve", machine.projectId) || (machine.ownerId === actor.id && can(actor, "machine.operate", machine.projectId));

export async function transferMachine(ctx: Ctx, input: z.infer<typeof transferMachineSchema>) {
  const machine = await loadOperableMachine(ctx, input.machineId);
  if (!canTransfer(ctx.actor, machine)) throw forbidden("Only the machine's owner or an approver of the project can transfer it");
  if (machine.state === "DELETING" || machine.state === "DELETED") throw conflict(`A machine that is ${machine.state} cannot be transferred`);
  if (input.ownerId === machine.ownerId) throw validationError({ ownerId: [fe("machines", "ownerSame")] });
  const member = await ctx.db.projectMember.findUnique({
    where: { projectId_userId: { projectId: machine.projectId, userId: input.ownerId } },
    include: { user: { select: { id: true, name: true, email: true, disabled: true, deletedAt: true } } },
  });
  if (!member || member.role === "VIEWER" || member.user.disabled || member.user.deletedAt) {
    throw validationError({ ownerId: [fe("machines", "ownerNotMember")] });
  }
  const previous = await ctx.db.user.findUnique({ where: { id: machine.ownerId }, select: { name: true, email: true } });
  await ctx.db.$transaction(async (tx) => {
    const r = await tx.machine.updateMany({ where: { id: machine.id, ownerId: machine.ownerId }, data: { ownerId: member.userId } });
    if (r.count !== 1) throw conflict("The machine changed owner in the meantime");
    await recordAudit(tx, ctx, {
      action: "machine.transfer",
      targetType: "Machine",
      targetId: machine.id,
      projectId: machine.projectId,
      before: { ownerId: machine.ownerId, ownerEmail: previous?.email ?? null },
      after: { ownerId: member.userId, ownerEmail: member.user.email },
    });
    await notify(tx, member.userId, "machine.transferred", { machineName: machine.name, projectName: machine.project.name, fromName: previous?.name ?? "" }, `/machines/${machine.id}`);
  });
  return { machineId: machine.id, ownerId: member.userId };
}

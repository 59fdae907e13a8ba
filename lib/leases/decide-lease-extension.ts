import "server-only";
import type { Ctx } from "../context";
import { assertCan, can } from "../auth/permissions";
import { conflict, forbidden, notFound, validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { notify } from "../notifications/notify";
import type { DecideLeaseExtensionInput } from "./schemas";

/**
 * An approver of the machine's project (or an administrator) approves or rejects a pending
 * lease extension; nobody decides their own. Approval moves the lease end. The requester is
 * notified either way.
 */
export async function decideLeaseExtension(ctx: Ctx, input: DecideLeaseExtensionInput) {
  const ext = await ctx.db.leaseExtension.findUnique({
    where: { id: input.extensionId },
    include: { machine: { select: { id: true, name: true, projectId: true, state: true, leaseEndsAt: true } } },
  });
  if (!ext || !can(ctx.actor, "machine.read", ext.machine.projectId)) throw notFound("Lease extension");
  assertCan(ctx.actor, "request.approve", ext.machine.projectId);
  if (ext.requestedById === ctx.actor.id) throw forbidden("You cannot decide your own lease extension");
  if (input.decision === "REJECT" && !input.reason) throw validationError({ reason: ["Give the reason for rejecting"] });
  const approve = input.decision === "APPROVE";
  if (approve && (ext.machine.state === "DELETING" || ext.machine.state === "DELETED")) {
    throw conflict("The machine is being deleted or is gone; reject the extension instead");
  }

  return ctx.db.$transaction(async (tx) => {
    const now = ctx.now();
    const decided = await tx.leaseExtension.updateMany({
      where: { id: ext.id, status: "PENDING" },
      data: { status: approve ? "APPROVED" : "REJECTED", decidedById: ctx.actor.id, decidedAt: now, decisionReason: input.reason || null },
    });
    if (decided.count !== 1) throw conflict("This extension was already decided");
    if (approve) {
      await tx.machine.update({ where: { id: ext.machineId }, data: { leaseEndsAt: ext.newEndsAt, leaseNotifiedAt: null } });
    }
    await recordAudit(tx, ctx, {
      action: approve ? "lease.extension.approve" : "lease.extension.reject",
      targetType: "LeaseExtension",
      targetId: ext.id,
      projectId: ext.machine.projectId,
      before: { status: "PENDING", leaseEndsAt: ext.machine.leaseEndsAt },
      after: { status: approve ? "APPROVED" : "REJECTED", newEndsAt: ext.newEndsAt, reason: input.reason || null },
    });
    await notify(
      tx,
      ext.requestedById,
      "lease.extension.decided",
      { machineName: ext.machine.name, decision: approve ? "APPROVED" : "REJECTED", newEndsAt: ext.newEndsAt.toISOString(), reason: input.reason || null },
      `/machines/${ext.machineId}`,
    );
    return { status: approve ? ("APPROVED" as const) : ("REJECTED" as const) };
  });
}

import "server-only";
import type { Ctx } from "../context";
import { assertCan, can } from "../auth/permissions";
import { conflict, forbidden, notFound, validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { leaseDateBounds, leaseEndFromDate } from "../requests/lease";
import type { RequestLeaseExtensionInput } from "./schemas";

export type LeaseExtensionOutcome =
  | { applied: true; leaseEndsAt: string }
  | { applied: false; extensionId: string };

/**
 * The owner moves a machine's lease end to a later date. Up to the project's maximum lease
 * (counted from today) it is applied at once; beyond it, it becomes a pending extension an
 * approver of the project decides (with the owner's reason).
 *
 * A machine without a lease end in a project that has a maximum (made before the maximum was
 * set) is given one the same way: any date up to the maximum at once, a later one through an
 * approver. In a project without a maximum a machine without an end has nothing to extend.
 */
export async function requestLeaseExtension(ctx: Ctx, input: RequestLeaseExtensionInput): Promise<LeaseExtensionOutcome> {
  const machine = await ctx.db.machine.findUnique({
    where: { id: input.machineId },
    include: { project: { select: { maxLeaseDays: true } } },
  });
  if (!machine || machine.state === "DELETED" || !can(ctx.actor, "machine.read", machine.projectId)) throw notFound("Machine");
  assertCan(ctx.actor, "lease.extend", machine.projectId);
  if (machine.ownerId !== ctx.actor.id && ctx.actor.role !== "ADMIN") throw forbidden("Only the machine's owner can extend its lease");
  if (machine.state === "DELETING") throw conflict("The machine is being deleted");
  if (!machine.leaseEndsAt && machine.project.maxLeaseDays === null) {
    throw validationError({ newEndDate: ["This machine has no lease end: it runs until it is deleted, so there is nothing to extend"] });
  }

  const now = ctx.now();
  const { min, max } = leaseDateBounds(now, machine.project.maxLeaseDays);
  const newEndsAt = leaseEndFromDate(input.newEndDate);
  if (input.newEndDate < min || (machine.leaseEndsAt && newEndsAt.getTime() <= machine.leaseEndsAt.getTime())) {
    throw validationError({ newEndDate: [machine.leaseEndsAt ? "Choose a date after the current lease end" : "Choose a date after today"] });
  }
  const withinMax = max === null || input.newEndDate <= max;
  if (!withinMax && !input.reason) {
    throw validationError({ reason: ["Say why the machine is needed for longer: an approver will read it"] });
  }

  return ctx.db.$transaction(async (tx) => {
    const pending = await tx.leaseExtension.count({ where: { machineId: machine.id, status: "PENDING" } });
    if (pending > 0) throw conflict("An extension of this lease is already waiting for approval");
    if (withinMax) {
      // The lease end only moves later, so a concurrent change cannot be undone by this one.
      const moved = await tx.machine.updateMany({
        where: { id: machine.id, leaseEndsAt: machine.leaseEndsAt, state: { notIn: ["DELETING", "DELETED"] } },
        data: { leaseEndsAt: newEndsAt, leaseNotifiedAt: null },
      });
      if (moved.count !== 1) throw conflict("The machine changed in the meantime. Reload and try again.");
      await recordAudit(tx, ctx, {
        action: "lease.extend",
        targetType: "Machine",
        targetId: machine.id,
        projectId: machine.projectId,
        before: { leaseEndsAt: machine.leaseEndsAt },
        after: { leaseEndsAt: newEndsAt },
      });
      return { applied: true as const, leaseEndsAt: newEndsAt.toISOString() };
    }
    const ext = await tx.leaseExtension.create({
      data: { machineId: machine.id, requestedById: ctx.actor.id, newEndsAt, reason: input.reason },
    });
    await recordAudit(tx, ctx, {
      action: "lease.extension.request",
      targetType: "LeaseExtension",
      targetId: ext.id,
      projectId: machine.projectId,
      after: { machineId: machine.id, leaseEndsAt: machine.leaseEndsAt, newEndsAt, reason: input.reason },
    });
    return { applied: false as const, extensionId: ext.id };
  });
}

import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan, can } from "../auth/permissions";
import { conflict, notFound, validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { hasCapability } from "../machines/capabilities";
import { reserveQuota } from "../quotas/reserve-quota";
import { demandOf } from "../quotas/impact";
import { enqueueOperation } from "../orchestration/enqueue";
import type { restoreToNewMachineSchema } from "./schemas";

/**
 * Restores a backup into a NEW machine of the backup's project, with the size and template the
 * machine had when it was backed up: the project's quota is reserved as for an approved
 * request, and its PROVISION imports the verified backup instead of the template. A machine
 * needs a provider that can import backups (it is placed like any new machine, among them).
 */
export async function restoreToNewMachine(ctx: Ctx, input: z.infer<typeof restoreToNewMachineSchema>) {
  const backup = await ctx.db.backup.findUnique({ where: { id: input.backupId }, include: { machine: { select: { ownerId: true, leaseEndsAt: true } } } });
  if (!backup || !can(ctx.actor, "backup.read", backup.projectId)) throw notFound("Backup");
  assertCan(ctx.actor, "backup.manage", backup.projectId);
  assertCan(ctx.actor, "request.create", backup.projectId);
  if (backup.status !== "AVAILABLE") throw conflict(`The backup is ${backup.status.toLowerCase()}, so it cannot be restored`);
  const provider = backup.providerId ? await ctx.db.provider.findUnique({ where: { id: backup.providerId }, select: { kind: true } }) : null;
  if (provider && !hasCapability(provider.kind, "backup")) throw conflict("The backup's provider cannot import backups");
  const offering = await ctx.db.offering.findUnique({ where: { id: backup.offeringId } });
  if (!offering) throw notFound("Offering");
  return ctx.db.$transaction(async (tx) => {
    if (await tx.machine.findFirst({ where: { projectId: backup.projectId, name: input.name, state: { not: "DELETED" } } })) {
      throw validationError({ name: ["A machine of this project already has this name"] });
    }
    const size = { vcpu: backup.vcpu, memoryMb: backup.memoryMb, diskGb: backup.diskGb, diskTier: backup.diskTier };
    const monthlyCents = offering.monthlyPriceCents;
    await reserveQuota(tx, backup.projectId, demandOf({ ...offering, ...size }, 1, monthlyCents), { ...offering, ...size }, 1);
    const machine = await tx.machine.create({
      data: {
        ...size,
        monthlyCents,
        projectId: backup.projectId,
        ownerId: ctx.actor.id,
        offeringId: backup.offeringId,
        templateId: backup.templateId,
        // Placed among the hosts of the backup's provider (which can import it).
        providerId: backup.providerId,
        name: input.name,
        state: "REQUESTED",
        leaseEndsAt: backup.machine.leaseEndsAt,
      },
    });
    const op = await tx.operation.create({
      data: { machineId: machine.id, kind: "PROVISION", status: "QUEUED", requestedById: ctx.actor.id, params: { fromState: "REQUESTED", fromBackupId: backup.id } },
    });
    await enqueueOperation(tx, op);
    await recordAudit(tx, ctx, {
      action: "backup.restore_new",
      targetType: "Backup",
      targetId: backup.id,
      projectId: backup.projectId,
      after: { machineId: machine.id, name: machine.name, operationId: op.id, from: backup.machineName },
    });
    return { machineId: machine.id, operationId: op.id, state: machine.state };
  });
}

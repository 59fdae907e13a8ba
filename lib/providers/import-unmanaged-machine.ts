import "server-only";
import { reservationOf } from "../machines/reservation";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { AppError, conflict, notFound, validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { demandOf } from "../quotas/impact";
import { reserveQuota } from "../quotas/reserve-quota";
import { hostDemand } from "../orchestration/host-capacity";
import { importUnmanagedSchema, type ImportUnmanagedInput } from "./schemas";
import { parseInput } from "./parse-input";
import { INVENTORY_TIMEOUT_MS, asDriverError, failureOf, withProviderDriver } from "./provider-driver";

/**
 * Imports a machine found on a provider into a project: a Machine row owned by a member of the
 * project, sized by the offering the administrator chose, in the state the provider reports,
 * with its provider ref. It takes its share of the project's quota (QUOTA_EXCEEDED when it does
 * not fit) and of its host's usage, so that deleting it later gives back what it holds. The
 * machine is checked on the provider first; it leaves the unmanaged list in the same transaction.
 */
export async function importUnmanagedMachine(ctx: Ctx, input: ImportUnmanagedInput): Promise<{ machineId: string }> {
  assertCan(ctx.actor, "provider.manage");
  const v = parseInput(importUnmanagedSchema, input);
  const u = await ctx.db.unmanagedMachine.findUnique({ where: { id: v.unmanagedId }, include: { provider: true } });
  if (!u) throw notFound("Unmanaged machine");

  // Its state now, not when the last sync saw it.
  let state: "RUNNING" | "STOPPED";
  try {
    const current = await withProviderDriver(ctx.db, u.provider, INVENTORY_TIMEOUT_MS, (driver, signal) => driver.getMachine(u.ref, { signal }));
    if (current.state === "RUNNING") state = "RUNNING";
    else if (current.state === "STOPPED" || current.state === "PAUSED") state = "STOPPED";
    else throw conflict(`The machine is ${current.state} on the provider; import it once it is running or stopped`, { providerState: current.state });
  } catch (err) {
    if (err instanceof AppError) throw err;
    const e = asDriverError(err, u.providerId);
    if (e.code === "NOT_FOUND") {
      await ctx.db.unmanagedMachine.deleteMany({ where: { id: u.id } });
      throw notFound("Unmanaged machine");
    }
    const f = failureOf(e);
    throw new AppError("DRIVER_ERROR", `${f.code}: ${f.message}`, { driverCode: f.code });
  }

  return ctx.db.$transaction(async (tx) => {
    const [project, member, offering, template] = await Promise.all([
      tx.project.findUnique({ where: { id: v.projectId }, select: { id: true, archived: true } }),
      tx.projectMember.findUnique({ where: { projectId_userId: { projectId: v.projectId, userId: v.ownerId } } }),
      tx.offering.findUnique({ where: { id: v.offeringId } }),
      tx.template.findUnique({ where: { id: v.templateId }, select: { id: true } }),
    ]);
    const errors: Record<string, string[]> = {};
    if (!project || project.archived) errors.projectId = ["providers.validation.projectRequired"];
    else if (!member) errors.ownerId = ["providers.validation.ownerNotMember"];
    if (!offering) errors.offeringId = ["providers.validation.offeringRequired"];
    if (!template) errors.templateId = ["providers.validation.templateRequired"];
    if (Object.keys(errors).length) throw validationError(errors);

    // Taken off the list first: two administrators importing it at once import it once.
    const taken = await tx.unmanagedMachine.deleteMany({ where: { id: u.id } });
    if (taken.count !== 1) throw conflict("This machine was imported or removed meanwhile");
    const clash = await tx.machine.findFirst({ where: { providerId: u.providerId, externalRef: u.ref, state: { not: "DELETED" } }, select: { id: true } });
    if (clash) throw conflict("Orquestra already manages this machine");

    await reserveQuota(tx, v.projectId, demandOf(offering!, 1), offering!, 1);
    const host = u.hostRef
      ? await tx.host.findFirst({ where: { providerId: u.providerId, OR: [{ externalRef: u.hostRef }, { name: u.hostRef }] }, select: { id: true } })
      : null;
    if (host) {
      // The machine already runs there: count it whatever the overcommit ratio says.
      const d = hostDemand(offering!);
      await tx.host.update({
        where: { id: host.id },
        data: {
          vcpuUsed: { increment: d.vcpu },
          memoryMbUsed: { increment: d.memoryMb },
          diskSsdGbUsed: { increment: d.diskSsdGb },
          diskHddGbUsed: { increment: d.diskHddGb },
        },
      });
    }
    const machine = await tx.machine.create({
      data: {
        projectId: v.projectId,
        ownerId: v.ownerId,
        offeringId: v.offeringId,
        templateId: v.templateId,
        ...reservationOf(offering!),
        name: u.name.slice(0, 63),
        state,
        providerId: u.providerId,
        hostId: host?.id ?? null,
        externalRef: u.ref,
      },
    });
    await recordAudit(tx, ctx, {
      action: "machine.import",
      targetType: "Machine",
      targetId: machine.id,
      projectId: v.projectId,
      after: {
        name: machine.name,
        state,
        providerId: u.providerId,
        externalRef: u.ref,
        ownerId: v.ownerId,
        offeringId: v.offeringId,
        templateId: v.templateId,
        hostId: host?.id ?? null,
      },
    });
    return { machineId: machine.id };
  });
}

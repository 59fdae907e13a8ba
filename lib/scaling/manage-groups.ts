// The scaling-group verbs: create (approvers: creating the group is its one approval; its
// scale-outs are then auto-approved within the project's quota), edit the bounds and target,
// delete (its machines go with it). The worker's evaluation (evaluate-scaling.ts) does the rest.
import "server-only";
import type { Ctx } from "../context";
import type { Tx } from "../db/client";
import { assertCan, can } from "../auth/permissions";
import { AppError, conflict, notFound, validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { enqueueJob } from "../orchestration/enqueue";
import { createOperation } from "../orchestration/create-operation";
import { exceededResources, quotaImpact } from "../quotas/impact";
import { quotaExceeded } from "../quotas/quota-error";
import { allowedProviders, loadProjectProviders, loadScopeProviders, providersForChoice } from "../orchestration/provider-scope";
import { SCALING_TASK } from "./evaluate-scaling";
import type { CreateScalingGroupInput, UpdateScalingGroupInput } from "./schemas";
import type { z } from "zod";
import type { deleteScalingGroupSchema } from "./schemas";
import { fe } from "../../i18n/field-message";

const DELETABLE = ["REQUESTED", "PROVISIONING", "RUNNING", "STOPPING", "STOPPED", "STARTING", "REBOOTING", "RESIZING", "FAILED"] as const;

/** Ask the worker to evaluate the group now (not waiting for the next metrics run). */
export async function evaluateSoon(tx: Tx, groupId: string) {
  await enqueueJob(tx, SCALING_TASK, { groupId }, { jobKey: `scaling:${groupId}`, queueName: `scaling:${groupId}`, maxAttempts: 3 });
}

export async function createScalingGroup(ctx: Ctx, input: CreateScalingGroupInput) {
  const { actor } = ctx;
  if (!can(actor, "project.read", input.projectId)) throw notFound("Project");
  const project = await ctx.db.project.findUnique({ where: { id: input.projectId } });
  if (!project || project.archived) throw notFound("Project");
  assertCan(actor, "scaling.manage", project.id);
  const [offering, template] = await Promise.all([
    ctx.db.offering.findFirst({ where: { id: input.offeringId, active: true } }),
    ctx.db.template.findFirst({ where: { id: input.templateId, active: true } }),
  ]);
  if (!offering) throw notFound("Offering");
  if (!template) throw notFound("Template");
  const fields: Record<string, string[]> = {};
  if (offering.diskGb < template.minDiskGb) fields.templateId = [fe("scaling", "templateDisk")];
  const placement = input.placement ?? "AUTO";
  const providerId = placement === "PROVIDER" ? (input.providerId ?? null) : null;
  if (placement === "PROVIDER" && !providerId) fields.placement = [fe("common", "providerRequired")];
  else {
    const [providers, projectProviders] = await Promise.all([loadScopeProviders(ctx.db), loadProjectProviders(ctx.db, project.id)]);
    if (providerId && !allowedProviders(providers, projectProviders).some((p) => p.id === providerId)) fields.placement = [fe("scaling", "providerNotAvailable")];
    else if (!providersForChoice(providers, projectProviders, { scope: placement, providerId }, { templateId: template.id, offeringId: offering.id }).ids.length)
      fields.placement = [fe("scaling", "noProvider")];
  }
  if (Object.keys(fields).length) throw validationError(fields);

  return ctx.db.$transaction(async (tx) => {
    const same = await tx.scalingGroup.findFirst({ where: { projectId: project.id, name: input.name, status: "ACTIVE" }, select: { id: true } });
    if (same) throw validationError({ name: [fe("scaling", "nameTaken")] });
    // The first machines must fit now (later scale-outs that do not fit are recorded refusals).
    const current = await tx.project.findUniqueOrThrow({ where: { id: project.id } });
    const over = exceededResources(quotaImpact(current, offering, input.desired));
    if (over.length) throw quotaExceeded(over);
    const g = await tx.scalingGroup.create({
      data: {
        projectId: project.id,
        name: input.name,
        ownerId: actor.id,
        offeringId: offering.id,
        templateId: template.id,
        placementScope: placement,
        placementProviderId: providerId,
        minSize: input.minSize,
        maxSize: input.maxSize,
        desired: input.desired,
        targetCpuPercent: input.targetCpuPercent,
        windowSeconds: input.windowSeconds,
        scaleOutCooldownSeconds: input.scaleOutCooldownSeconds,
        scaleInCooldownSeconds: input.scaleInCooldownSeconds,
        stepSize: input.stepSize,
      },
    });
    await recordAudit(tx, ctx, {
      action: "scalingGroup.create",
      targetType: "ScalingGroup",
      targetId: g.id,
      projectId: project.id,
      after: { name: g.name, offeringId: g.offeringId, templateId: g.templateId, minSize: g.minSize, maxSize: g.maxSize, desired: g.desired, targetCpuPercent: g.targetCpuPercent },
    });
    await evaluateSoon(tx, g.id);
    return { id: g.id, name: g.name };
  });
}

async function loadManaged(ctx: Ctx, groupId: string) {
  const g = await ctx.db.scalingGroup.findUnique({ where: { id: groupId } });
  if (!g || g.status !== "ACTIVE" || !can(ctx.actor, "machine.read", g.projectId)) throw notFound("Scaling group");
  assertCan(ctx.actor, "scaling.manage", g.projectId);
  return g;
}

export async function updateScalingGroup(ctx: Ctx, input: UpdateScalingGroupInput) {
  const g = await loadManaged(ctx, input.groupId);
  const { groupId, ...changes } = input;
  return ctx.db.$transaction(async (tx) => {
    const desired = Math.min(changes.maxSize, Math.max(changes.minSize, g.desired));
    const r = await tx.scalingGroup.updateMany({ where: { id: groupId, version: g.version, status: "ACTIVE" }, data: { ...changes, desired, version: { increment: 1 } } });
    if (r.count === 0) throw conflict("The group changed meanwhile; reload and try again");
    await recordAudit(tx, ctx, {
      action: "scalingGroup.update",
      targetType: "ScalingGroup",
      targetId: g.id,
      projectId: g.projectId,
      before: { minSize: g.minSize, maxSize: g.maxSize, targetCpuPercent: g.targetCpuPercent, desired: g.desired },
      after: { ...changes, desired },
    });
    await evaluateSoon(tx, g.id);
    return { id: g.id, desired };
  });
}

export async function deleteScalingGroup(ctx: Ctx, input: z.infer<typeof deleteScalingGroupSchema>) {
  const g = await loadManaged(ctx, input.groupId);
  if (input.confirmName.trim() !== g.name) throw validationError({ confirmName: [fe("scaling", "confirmName")] });
  return ctx.db.$transaction(async (tx) => {
    // The evaluation holds this lock while it decides: no scale-out lands after the delete.
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`scaling-group:${g.id}`}))`;
    const r = await tx.scalingGroup.updateMany({ where: { id: g.id, status: "ACTIVE" }, data: { status: "DELETED", deletedAt: ctx.now(), version: { increment: 1 } } });
    if (r.count === 0) throw new AppError("CONFLICT", "The group is already deleted");
    const members = await tx.machine.findMany({ where: { scalingGroupId: g.id, deletedAt: null, state: { in: [...DELETABLE] } }, select: { id: true, state: true, version: true } });
    for (const m of members) await createOperation(tx, m, { kind: "DELETE", requestedById: ctx.actor.id, params: { reason: `Scaling group ${g.name} deleted` } });
    await recordAudit(tx, ctx, { action: "scalingGroup.delete", targetType: "ScalingGroup", targetId: g.id, projectId: g.projectId, before: { name: g.name, desired: g.desired }, after: { deletedMachines: members.map((m) => m.id) } });
    return { id: g.id, deletedMachines: members.length };
  });
}

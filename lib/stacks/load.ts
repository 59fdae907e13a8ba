// Shared loading for the stack verbs: the stack as the actor may see it, and the inputs of a
// plan (active offerings and templates, the stack's machines, the project's usage).
import "server-only";
import type { Ctx } from "../context";
import type { Db, Tx } from "../db/client";
import { can } from "../auth/permissions";
import { AppError, notFound } from "../errors";
import { resolveMachines, resolveParameters, type StackDocument } from "./document";
import { computePlan, type StackPlan } from "./plan";

export async function loadStack(ctx: Ctx, stackId: string) {
  const stack = await ctx.db.stack.findUnique({ where: { id: stackId }, include: { project: { select: { id: true, name: true, slug: true } } } });
  if (!stack || !can(ctx.actor, "stack.read", stack.projectId)) throw notFound("Stack");
  return stack;
}

export async function loadVersion(db: Db | Tx, stackId: string, versionId?: string) {
  const v = versionId
    ? await db.stackVersion.findFirst({ where: { id: versionId, stackId } })
    : await db.stackVersion.findFirst({ where: { stackId }, orderBy: { number: "desc" } });
  if (!v) throw notFound("Stack version");
  return v;
}

/** Links machines created by the stack's requests to the stack (after their approval). */
export async function linkRequestMachines(db: Db | Tx, stackId: string): Promise<void> {
  await db.$executeRaw`
    update "Machine" m set "stackId" = r."stackId", "stackGroup" = r."stackGroup"
    from "Request" r
    where m."requestId" = r.id and r."stackId" = ${stackId}::uuid and m."stackId" is null`;
}

export async function stackMachines(db: Db | Tx, stackId: string) {
  return db.machine.findMany({
    where: { stackId, state: { not: "DELETED" }, deletedAt: null },
    orderBy: { name: "asc" },
    select: { id: true, name: true, stackGroup: true, offeringId: true, templateId: true, state: true, vcpu: true, memoryMb: true, diskGb: true, diskTier: true, monthlyCents: true, ipAddress: true, driftReason: true, failureReason: true, updatedAt: true },
  });
}

export async function planFor(db: Db | Tx, stack: { id: string; projectId: string }, document: StackDocument, given: Record<string, unknown> = {}, opts: { destroy?: boolean } = {}): Promise<StackPlan & { parameters: Record<string, unknown> }> {
  const { values, errors } = resolveParameters(document, given);
  if (errors.length) throw new AppError("VALIDATION", errors.join("; "), { fields: { parameters: errors } });
  await linkRequestMachines(db, stack.id);
  const [offerings, templates, machines, project] = await Promise.all([
    db.offering.findMany({ where: { active: true } }),
    db.template.findMany({ where: { active: true }, select: { id: true, name: true } }),
    stackMachines(db, stack.id),
    db.project.findUniqueOrThrow({ where: { id: stack.projectId } }),
  ]);
  const plan = computePlan({
    machines: resolveMachines(document, values),
    offerings,
    templates,
    current: machines.map((m) => ({ ...m, group: m.stackGroup ?? "" })),
    project,
    destroy: opts.destroy,
  });
  return { ...plan, parameters: values };
}

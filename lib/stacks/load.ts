// Shared loading for the stack verbs: the stack as the actor may see it, and the inputs of a
// plan (active offerings and templates, the stack's machines, the project's usage).
import "server-only";
import type { Ctx } from "../context";
import type { Db, Tx } from "../db/client";
import { can } from "../auth/permissions";
import { AppError, notFound } from "../errors";
import { WORKLOAD_STACK_LABEL } from "../workloads/request-workload";
import { resolveMachines, resolveParameters, resolveWorkloads, type StackDocument } from "./document";
import { computePlan, type CurrentWorkload, type StackPlan } from "./plan";

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

/** The container workloads the stack owns (labelled with its id when its apply requested them). */
export async function stackWorkloads(db: Db | Tx, stack: { id: string; projectId: string }) {
  return db.workload.findMany({
    where: { projectId: stack.projectId, deletedAt: null, state: { not: "DELETED" }, labels: { path: [WORKLOAD_STACK_LABEL], equals: stack.id } },
    orderBy: { name: "asc" },
    select: { id: true, name: true, state: true, image: true, command: true, replicas: true, offeringId: true, providerId: true, ports: true, env: true, healthCheck: true, vcpu: true, memoryMb: true, monthlyCents: true, failureReason: true, updatedAt: true },
  });
}

const asCurrentWorkload = (w: Awaited<ReturnType<typeof stackWorkloads>>[number]): CurrentWorkload => ({
  ...w,
  command: (w.command as string[] | null) ?? null,
  ports: (w.ports as CurrentWorkload["ports"]) ?? [],
  env: (w.env as Record<string, string>) ?? {},
  healthCheck: (w.healthCheck as CurrentWorkload["healthCheck"]) ?? null,
});

export async function planFor(db: Db | Tx, stack: { id: string; projectId: string }, document: StackDocument, given: Record<string, unknown> = {}, opts: { destroy?: boolean } = {}): Promise<StackPlan & { parameters: Record<string, unknown> }> {
  const { values, errors } = resolveParameters(document, given);
  if (errors.length) throw new AppError("VALIDATION", errors.join("; "), { fields: { parameters: errors } });
  await linkRequestMachines(db, stack.id);
  const [offerings, templates, machines, workloads, providers, project] = await Promise.all([
    db.offering.findMany({ where: { active: true } }),
    db.template.findMany({ where: { active: true }, select: { id: true, name: true } }),
    stackMachines(db, stack.id),
    stackWorkloads(db, stack),
    document.workloads.length ? db.provider.findMany({ select: { id: true, name: true } }) : [],
    db.project.findUniqueOrThrow({ where: { id: stack.projectId } }),
  ]);
  const plan = computePlan({
    machines: resolveMachines(document, values),
    offerings,
    templates,
    current: machines.map((m) => ({ ...m, group: m.stackGroup ?? "" })),
    workloads: resolveWorkloads(document, values),
    currentWorkloads: workloads.map(asCurrentWorkload),
    providers,
    project,
    destroy: opts.destroy,
  });
  return { ...plan, parameters: values };
}

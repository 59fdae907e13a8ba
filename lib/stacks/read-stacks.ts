// Reading stacks: the list (with drift), one stack (versions, machines, outputs), the diff
// between two versions, and the JSON Schema of the document.
import "server-only";
import type { Ctx } from "../context";
import { can } from "../auth/permissions";
import { notFound } from "../errors";
import { loadStack, stackMachines, stackWorkloads } from "./load";
import { lineDiff } from "./diff";
import { stackJsonSchema } from "./document";

export async function listStacks(ctx: Ctx, input: { projectId?: string }) {
  if (input.projectId && !can(ctx.actor, "stack.read", input.projectId)) throw notFound("Project");
  const stacks = await ctx.db.stack.findMany({
    where: input.projectId ? { projectId: input.projectId } : {},
    include: { project: { select: { id: true, name: true, slug: true } }, _count: { select: { machines: { where: { state: { not: "DELETED" } } } } } },
    orderBy: [{ project: { name: "asc" } }, { name: "asc" }],
  });
  return {
    items: stacks
      .filter((s) => can(ctx.actor, "stack.read", s.projectId))
      .map((s) => ({
        id: s.id,
        name: s.name,
        projectId: s.projectId,
        projectName: s.project.name,
        projectSlug: s.project.slug,
        status: s.status,
        statusReason: s.statusReason,
        healing: s.healing,
        healingPaused: s.healPausedAt !== null,
        drift: s.drift as string[],
        driftCheckedAt: s.driftCheckedAt?.toISOString() ?? null,
        machineCount: s._count.machines,
        updatedAt: s.updatedAt.toISOString(),
      })),
  };
}

export async function getStack(ctx: Ctx, input: { stackId: string }) {
  const stack = await loadStack(ctx, input.stackId);
  const [versions, machines, workloads, events] = await Promise.all([
    ctx.db.stackVersion.findMany({ where: { stackId: stack.id }, orderBy: { number: "desc" }, select: { id: true, number: true, createdAt: true, appliedAt: true, yaml: true, plan: true } }),
    stackMachines(ctx.db, stack.id),
    stackWorkloads(ctx.db, stack),
    // The stack's runs, drift and healing as the audit log recorded them (newest first).
    ctx.db.auditEvent.findMany({ where: { targetType: "Stack", targetId: stack.id }, orderBy: { id: "desc" }, take: 25, select: { id: true, at: true, action: true, actorEmail: true, after: true } }),
  ]);
  const latest = versions[0];
  const applied = versions.find((v) => v.id === stack.appliedVersionId);
  return {
    id: stack.id,
    name: stack.name,
    projectId: stack.projectId,
    projectName: stack.project.name,
    projectSlug: stack.project.slug,
    status: stack.status,
    statusReason: stack.statusReason,
    runKind: stack.runKind,
    healing: stack.healing,
    healingPaused: stack.healPausedAt !== null,
    healFailures: stack.healFailures,
    drift: stack.drift as string[],
    driftCheckedAt: stack.driftCheckedAt?.toISOString() ?? null,
    outputs: stack.outputs as Record<string, string>,
    yaml: latest?.yaml ?? "",
    appliedVersion: applied?.number ?? null,
    lastPlan: (applied?.plan as unknown) ?? null,
    versions: versions.map((v) => ({ id: v.id, number: v.number, createdAt: v.createdAt.toISOString(), appliedAt: v.appliedAt?.toISOString() ?? null })),
    machines: machines.map((m) => ({ id: m.id, name: m.name, group: m.stackGroup ?? "", state: m.state, ipAddress: m.ipAddress, driftReason: m.driftReason })),
    workloads: workloads.map((w) => ({ id: w.id, name: w.name, state: w.state, image: w.image, replicas: w.replicas })),
    activity: events.map((e) => ({ id: String(e.id), at: e.at.toISOString(), action: e.action, actor: e.actorEmail, detail: activityDetail(e.after) })),
  };
}

/** One line about an audited stack event: the drift found, the failure's reason, the run's size. */
function activityDetail(after: unknown): string {
  const a = (after ?? {}) as { drift?: unknown; reason?: unknown; version?: unknown; changes?: unknown; machines?: unknown; status?: unknown };
  if (Array.isArray(a.drift)) return a.drift.join("; ");
  if (typeof a.reason === "string") return a.reason;
  if (Array.isArray(a.machines)) return a.machines.join(", ");
  const parts: string[] = [];
  if (typeof a.version === "number") parts.push(`v${a.version}`);
  if (typeof a.changes === "number") parts.push(`${a.changes} change(s)`);
  if (typeof a.status === "string") parts.push(a.status);
  return parts.join(", ");
}

export async function diffStackVersions(ctx: Ctx, input: { stackId: string; from: number; to: number }) {
  const stack = await loadStack(ctx, input.stackId);
  const [a, b] = await Promise.all([
    ctx.db.stackVersion.findUnique({ where: { stackId_number: { stackId: stack.id, number: input.from } } }),
    ctx.db.stackVersion.findUnique({ where: { stackId_number: { stackId: stack.id, number: input.to } } }),
  ]);
  if (!a || !b) throw notFound("Stack version");
  return { from: a.number, to: b.number, lines: lineDiff(a.yaml, b.yaml) };
}

export async function getStackSchema(): Promise<Record<string, unknown>> {
  return stackJsonSchema();
}

import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import type { Tx } from "../db/client";
import { assertCan, can, projectsWhere } from "../auth/permissions";
import { notFound, validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import type { alertRuleIdSchema, createAlertRuleSchema, projectAlertsSchema, projectMonitoringSchema, updateAlertRuleSchema } from "./schemas";

type RuleRow = {
  id: string;
  projectId: string;
  name: string;
  metric: string;
  comparator: string;
  threshold: number;
  durationSeconds: number;
  enabled: boolean;
  machineId: string | null;
  notify: boolean;
  createdAt: Date;
  updatedAt: Date;
};

const view = (r: RuleRow) => ({
  id: r.id,
  projectId: r.projectId,
  name: r.name,
  metric: r.metric,
  comparator: r.comparator,
  threshold: r.threshold,
  durationSeconds: r.durationSeconds,
  enabled: r.enabled,
  machineId: r.machineId,
  notify: r.notify,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

const auditFields = (r: RuleRow) => ({
  name: r.name,
  metric: r.metric,
  comparator: r.comparator,
  threshold: r.threshold,
  durationSeconds: r.durationSeconds,
  machineId: r.machineId,
  notify: r.notify,
  enabled: r.enabled,
});

function visible(ctx: Ctx, projectId: string) {
  if (!can(ctx.actor, "machine.read", projectId)) throw notFound("Project");
}

/** A scoped rule watches one machine of its own project that still exists. */
async function checkScope(tx: Tx, projectId: string, machineId: string | null) {
  if (!machineId) return;
  const m = await tx.machine.findFirst({ where: { id: machineId, projectId, state: { not: "DELETED" } }, select: { id: true } });
  if (!m) throw validationError({ machineId: ["alerts.validation.machineNotInProject"] });
}

/** A project's alert rules, with the machines each is firing on now and when it last fired. */
export async function listAlertRules(ctx: Ctx, input: z.infer<typeof projectAlertsSchema>) {
  visible(ctx, input.projectId);
  const rules = await ctx.db.alertRule.findMany({
    where: { projectId: input.projectId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    include: { _count: { select: { events: { where: { resolvedAt: null } } } } },
  });
  const last = rules.length
    ? await ctx.db.alertEvent.groupBy({ by: ["ruleId"], where: { ruleId: { in: rules.map((r) => r.id) } }, _max: { firedAt: true } })
    : [];
  const lastBy = new Map(last.map((l) => [l.ruleId, l._max.firedAt]));
  const scoped = [...new Set(rules.map((r) => r.machineId).filter((id): id is string => !!id))];
  const names = new Map((await ctx.db.machine.findMany({ where: { id: { in: scoped } }, select: { id: true, name: true } })).map((m) => [m.id, m.name]));
  return {
    items: rules.map((r) => ({
      ...view(r),
      machineName: r.machineId ? (names.get(r.machineId) ?? null) : null,
      firing: r._count.events,
      lastFiredAt: lastBy.get(r.id)?.toISOString() ?? null,
    })),
  };
}

export async function createAlertRule(ctx: Ctx, input: z.infer<typeof createAlertRuleSchema>) {
  visible(ctx, input.projectId);
  assertCan(ctx.actor, "alert.manage", input.projectId);
  return ctx.db.$transaction(async (tx) => {
    await checkScope(tx, input.projectId, input.machineId);
    const r = await tx.alertRule.create({ data: { ...input, createdById: ctx.actor.id } });
    await recordAudit(tx, ctx, { action: "alertRule.create", targetType: "AlertRule", targetId: r.id, projectId: r.projectId, after: auditFields(r) });
    return view(r);
  });
}

async function loadRule(ctx: Ctx, ruleId: string) {
  const r = await ctx.db.alertRule.findUnique({ where: { id: ruleId } });
  if (!r || !can(ctx.actor, "machine.read", r.projectId)) throw notFound("Alert rule");
  assertCan(ctx.actor, "alert.manage", r.projectId);
  return r;
}

/**
 * Replaces a rule's fields. Its open alerts (machines it is firing on) resolve at the next
 * evaluation when the new fields say they should; one on a machine taken out of its scope resolves
 * at the next evaluation.
 */
export async function updateAlertRule(ctx: Ctx, input: z.infer<typeof updateAlertRuleSchema>) {
  const before = await loadRule(ctx, input.ruleId);
  const { ruleId, ...fields } = input;
  return ctx.db.$transaction(async (tx) => {
    await checkScope(tx, before.projectId, fields.machineId);
    const r = await tx.alertRule.update({ where: { id: ruleId }, data: fields });
    await recordAudit(tx, ctx, { action: "alertRule.update", targetType: "AlertRule", targetId: r.id, projectId: r.projectId, before: auditFields(before), after: auditFields(r) });
    return view(r);
  });
}

export async function deleteAlertRule(ctx: Ctx, input: z.infer<typeof alertRuleIdSchema>) {
  const r = await loadRule(ctx, input.ruleId);
  return ctx.db.$transaction(async (tx) => {
    await tx.alertRule.delete({ where: { id: r.id } });
    await recordAudit(tx, ctx, { action: "alertRule.delete", targetType: "AlertRule", targetId: r.id, projectId: r.projectId, before: auditFields(r) });
    return { id: r.id };
  });
}

/** The project's alert history, newest first (the last 200). */
export async function listAlertEvents(ctx: Ctx, input: z.infer<typeof projectAlertsSchema>) {
  visible(ctx, input.projectId);
  const rows = await ctx.db.alertEvent.findMany({
    where: { projectId: input.projectId },
    orderBy: [{ firedAt: "desc" }, { id: "asc" }],
    take: 200,
    include: { rule: { select: { name: true, metric: true, comparator: true, threshold: true } } },
  });
  const names = new Map((await ctx.db.machine.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.machineId))] } }, select: { id: true, name: true } })).map((m) => [m.id, m.name]));
  return {
    items: rows.map((e) => ({
      id: e.id,
      ruleId: e.ruleId,
      ruleName: e.rule.name,
      metric: e.rule.metric,
      comparator: e.rule.comparator,
      threshold: e.rule.threshold,
      machineId: e.machineId,
      machineName: names.get(e.machineId) ?? null,
      firedAt: e.firedAt.toISOString(),
      firedValue: e.firedValue,
      resolvedAt: e.resolvedAt?.toISOString() ?? null,
      resolvedValue: e.resolvedValue,
    })),
  };
}

/**
 * The monitoring page: the projects the actor can read, and for the chosen one (the first by
 * name when none is asked for) its rules, history, machines (for a rule's scope) and whether the
 * actor may manage its rules.
 */
export async function getProjectMonitoring(ctx: Ctx, input: z.infer<typeof projectMonitoringSchema>) {
  const readable = projectsWhere(ctx.actor, "machine.read");
  const projects = await ctx.db.project.findMany({
    where: { archived: false, ...(readable === null ? {} : { id: { in: readable } }) },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: { id: true, name: true },
  });
  if (input.projectId && !projects.some((p) => p.id === input.projectId)) throw notFound("Project");
  const project = projects.find((p) => p.id === input.projectId) ?? projects[0] ?? null;
  if (!project) return { projects, project: null, canManage: false, machines: [], rules: [], events: [] };
  const [machines, alerts] = await Promise.all([
    ctx.db.machine.findMany({ where: { projectId: project.id, state: { not: "DELETED" } }, orderBy: [{ name: "asc" }, { id: "asc" }], select: { id: true, name: true } }),
    getProjectAlerts(ctx, { projectId: project.id }),
  ]);
  return { projects, project, canManage: can(ctx.actor, "alert.manage", project.id), machines, ...alerts };
}

/** A project's rules and alert history together (the live view polls this). */
export async function getProjectAlerts(ctx: Ctx, input: z.infer<typeof projectAlertsSchema>) {
  const [rules, events] = await Promise.all([listAlertRules(ctx, input), listAlertEvents(ctx, input)]);
  return { rules: rules.items, events: events.items };
}

export type ProjectAlerts = Awaited<ReturnType<typeof getProjectAlerts>>;

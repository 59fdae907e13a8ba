import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan, can } from "../auth/permissions";
import { notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import type { alertRuleIdSchema, createAlertRuleSchema, projectAlertsSchema } from "./schemas";

const view = (r: { id: string; projectId: string; name: string; metric: string; comparator: string; threshold: number; durationSeconds: number; enabled: boolean; createdAt: Date }) => ({
  id: r.id,
  projectId: r.projectId,
  name: r.name,
  metric: r.metric,
  comparator: r.comparator,
  threshold: r.threshold,
  durationSeconds: r.durationSeconds,
  enabled: r.enabled,
  createdAt: r.createdAt.toISOString(),
});

function visible(ctx: Ctx, projectId: string) {
  if (!can(ctx.actor, "machine.read", projectId)) throw notFound("Project");
}

/** A project's alert rules, with whether each is firing on any machine now. */
export async function listAlertRules(ctx: Ctx, input: z.infer<typeof projectAlertsSchema>) {
  visible(ctx, input.projectId);
  const rules = await ctx.db.alertRule.findMany({
    where: { projectId: input.projectId },
    orderBy: { createdAt: "asc" },
    include: { _count: { select: { events: { where: { resolvedAt: null } } } } },
  });
  return { items: rules.map((r) => ({ ...view(r), firing: r._count.events })) };
}

export async function createAlertRule(ctx: Ctx, input: z.infer<typeof createAlertRuleSchema>) {
  visible(ctx, input.projectId);
  assertCan(ctx.actor, "alert.manage", input.projectId);
  return ctx.db.$transaction(async (tx) => {
    const r = await tx.alertRule.create({ data: { ...input, createdById: ctx.actor.id } });
    await recordAudit(tx, ctx, { action: "alertRule.create", targetType: "AlertRule", targetId: r.id, projectId: r.projectId, after: { name: r.name, metric: r.metric, comparator: r.comparator, threshold: r.threshold, durationSeconds: r.durationSeconds } });
    return view(r);
  });
}

export async function deleteAlertRule(ctx: Ctx, input: z.infer<typeof alertRuleIdSchema>) {
  const r = await ctx.db.alertRule.findUnique({ where: { id: input.ruleId } });
  if (!r || !can(ctx.actor, "machine.read", r.projectId)) throw notFound("Alert rule");
  assertCan(ctx.actor, "alert.manage", r.projectId);
  return ctx.db.$transaction(async (tx) => {
    await tx.alertRule.delete({ where: { id: r.id } });
    await recordAudit(tx, ctx, { action: "alertRule.delete", targetType: "AlertRule", targetId: r.id, projectId: r.projectId, before: { name: r.name, metric: r.metric, threshold: r.threshold } });
    return { id: r.id };
  });
}

/** The project's alert history, newest first (the last 200). */
export async function listAlertEvents(ctx: Ctx, input: z.infer<typeof projectAlertsSchema>) {
  visible(ctx, input.projectId);
  const rows = await ctx.db.alertEvent.findMany({ where: { projectId: input.projectId }, orderBy: { firedAt: "desc" }, take: 200, include: { rule: { select: { name: true, metric: true } } } });
  const names = new Map((await ctx.db.machine.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.machineId))] } }, select: { id: true, name: true } })).map((m) => [m.id, m.name]));
  return {
    items: rows.map((e) => ({
      id: e.id,
      ruleId: e.ruleId,
      ruleName: e.rule.name,
      metric: e.rule.metric,
      machineId: e.machineId,
      machineName: names.get(e.machineId) ?? null,
      firedAt: e.firedAt.toISOString(),
      firedValue: e.firedValue,
      resolvedAt: e.resolvedAt?.toISOString() ?? null,
      resolvedValue: e.resolvedValue,
    })),
  };
}

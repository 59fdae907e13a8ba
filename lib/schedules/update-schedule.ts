import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan, can } from "../auth/permissions";
import { notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { nextOccurrence } from "./cron";
import type { scheduleIdSchema, setScheduleEnabledSchema } from "./schemas";

async function load(ctx: Ctx, id: string) {
  const s = await ctx.db.schedule.findUnique({ where: { id } });
  if (!s || !can(ctx.actor, "machine.read", s.projectId)) throw notFound("Schedule");
  assertCan(ctx.actor, "schedule.manage", s.projectId);
  return s;
}

/** Pauses or resumes a schedule (resuming computes its next occurrence from now). */
export async function setScheduleEnabled(ctx: Ctx, input: z.infer<typeof setScheduleEnabledSchema>) {
  const s = await load(ctx, input.scheduleId);
  return ctx.db.$transaction(async (tx) => {
    const nextRunAt = input.enabled ? nextOccurrence(s.cron, s.timeZone, ctx.now()) : s.nextRunAt;
    await tx.schedule.update({ where: { id: s.id }, data: { enabled: input.enabled, nextRunAt } });
    await recordAudit(tx, ctx, { action: "schedule.update", targetType: "Schedule", targetId: s.id, projectId: s.projectId, before: { enabled: s.enabled }, after: { enabled: input.enabled } });
    return { id: s.id, enabled: input.enabled, nextRunAt: nextRunAt?.toISOString() ?? null };
  });
}

export async function deleteSchedule(ctx: Ctx, input: z.infer<typeof scheduleIdSchema>) {
  const s = await load(ctx, input.scheduleId);
  return ctx.db.$transaction(async (tx) => {
    await tx.schedule.delete({ where: { id: s.id } });
    await recordAudit(tx, ctx, { action: "schedule.delete", targetType: "Schedule", targetId: s.id, projectId: s.projectId, before: { name: s.name, action: s.action, cron: s.cron } });
    return { id: s.id };
  });
}

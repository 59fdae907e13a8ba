import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan, can } from "../auth/permissions";
import { notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { nextOccurrence } from "../schedules/cron";
import type { createBackupPolicySchema } from "./schemas";

/** A backup policy for a project's machines (or one machine), in the project's time zone. */
export async function createBackupPolicy(ctx: Ctx, input: z.infer<typeof createBackupPolicySchema>) {
  const project = await ctx.db.project.findUnique({ where: { id: input.projectId }, select: { id: true, timeZone: true } });
  if (!project || !can(ctx.actor, "backup.read", project.id)) throw notFound("Project");
  assertCan(ctx.actor, "backup.manage", project.id);
  if (input.machineId) {
    const m = await ctx.db.machine.findFirst({ where: { id: input.machineId, projectId: project.id, state: { not: "DELETED" } } });
    if (!m) throw notFound("Machine");
  }
  const target = await ctx.db.backupTarget.findUnique({ where: { id: input.targetId }, select: { id: true } });
  if (!target) throw notFound("Backup target");
  const nextRunAt = nextOccurrence(input.cron, project.timeZone, ctx.now());
  return ctx.db.$transaction(async (tx) => {
    const p = await tx.backupPolicy.create({
      data: {
        projectId: project.id,
        machineId: input.machineId ?? null,
        targetId: target.id,
        name: input.name,
        cron: input.cron,
        timeZone: project.timeZone,
        keepLast: input.keepLast,
        keepDays: input.keepDays ?? null,
        nextRunAt,
        createdById: ctx.actor.id,
      },
    });
    await recordAudit(tx, ctx, {
      action: "backup_policy.create",
      targetType: "BackupPolicy",
      targetId: p.id,
      projectId: project.id,
      after: { name: p.name, machineId: p.machineId, cron: p.cron, timeZone: p.timeZone, keepLast: p.keepLast, keepDays: p.keepDays, targetId: p.targetId },
    });
    return { id: p.id, nextRunAt: nextRunAt?.toISOString() ?? null };
  });
}

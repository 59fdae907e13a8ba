import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound, validationError, type FieldErrors } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { parseInput } from "../offerings/parse-input";
import { isUniqueViolation } from "../offerings/prisma-errors";
import { updateProjectSchema } from "./schemas";
import { projectRowData } from "./to-row";
import { projectSnapshot } from "./snapshot";
import { assertProjectNameAndSlugFree, uniqueViolationFields } from "./unique-fields";
import { nextOccurrence } from "../schedules/cron";
import type { Tx } from "../db/client";

/** Moves the project's schedules and backup policies to its new time zone (next runs recomputed from now). */
async function retimeSchedules(tx: Tx, projectId: string, timeZone: string, now: Date): Promise<number> {
  let n = 0;
  for (const s of await tx.schedule.findMany({ where: { projectId }, select: { id: true, cron: true, enabled: true } })) {
    await tx.schedule.update({ where: { id: s.id }, data: { timeZone, ...(s.enabled ? { nextRunAt: nextOccurrence(s.cron, timeZone, now) } : {}) } });
    n++;
  }
  for (const p of await tx.backupPolicy.findMany({ where: { projectId }, select: { id: true, cron: true, enabled: true } })) {
    await tx.backupPolicy.update({ where: { id: p.id }, data: { timeZone, ...(p.enabled ? { nextRunAt: nextOccurrence(p.cron, timeZone, now) } : {}) } });
    n++;
  }
  return n;
}

/**
 * Updates a project's settings. A quota (or budget) may not go below what the project
 * already uses: the row is locked first, so an approval reserving usage at the same time
 * either finishes before (and is counted) or waits and then sees the new limit.
 */
export async function updateProject(ctx: Ctx, input: z.infer<typeof updateProjectSchema>) {
  assertCan(ctx.actor, "project.manage");
  const { id, ...fields } = parseInput(updateProjectSchema, input);
  const data = projectRowData(fields);
  try {
    return await ctx.db.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Project" WHERE id = ${id}::uuid FOR UPDATE`;
      if (!locked.length) throw notFound("Project");
      const before = (await tx.project.findUnique({ where: { id } }))!;
      const below: FieldErrors = {};
      const msg = ["projects.validation.quotaBelowUsage"];
      if (data.quotaVcpu < before.usedVcpu) below.quotaVcpu = msg;
      if (data.quotaMemoryMb < before.usedMemoryMb) below.quotaMemoryGib = msg;
      if (data.quotaDiskSsdGb < before.usedDiskSsdGb) below.quotaDiskSsdGb = msg;
      if (data.quotaDiskHddGb < before.usedDiskHddGb) below.quotaDiskHddGb = msg;
      if (data.quotaMachines < before.usedMachines) below.quotaMachines = msg;
      if (data.monthlyBudgetCents !== null && data.monthlyBudgetCents < before.usedMonthlyCents) below.monthlyBudget = ["projects.validation.budgetBelowUsage"];
      if (Object.keys(below).length) throw validationError(below);
      await assertProjectNameAndSlugFree(tx, data.name, data.slug, id);
      const after = await tx.project.update({ where: { id }, data });
      // Schedules and backup policies fire in the project's zone: a new zone moves their next runs.
      const retimed = after.timeZone !== before.timeZone ? await retimeSchedules(tx, id, after.timeZone, ctx.now()) : 0;
      await recordAudit(tx, ctx, {
        action: "project.update",
        targetType: "Project",
        targetId: id,
        projectId: id,
        before: projectSnapshot(before),
        after: { ...projectSnapshot(after), ...(retimed ? { schedulesRetimed: retimed } : {}) },
      });
      return after;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw validationError(uniqueViolationFields());
    throw err;
  }
}

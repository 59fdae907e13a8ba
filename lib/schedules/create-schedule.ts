import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan, can } from "../auth/permissions";
import { notFound, validationError } from "../errors";
import { OPERATION_SPECS } from "../orchestration/operation-specs";
import { hasCapability } from "../machines/capabilities";
import { recordAudit } from "../audit/record-audit";
import { nextOccurrence } from "./cron";
import type { createScheduleSchema } from "./schemas";

/** A schedule for one machine or every machine of a project, in the project's time zone. */
export async function createSchedule(ctx: Ctx, input: z.infer<typeof createScheduleSchema>) {
  const machine = input.machineId
    ? await ctx.db.machine.findUnique({ where: { id: input.machineId }, select: { id: true, name: true, projectId: true, state: true, provider: { select: { kind: true } } } })
    : null;
  const projectId = machine?.projectId ?? input.projectId!;
  if ((input.machineId && (!machine || machine.state === "DELETED")) || !can(ctx.actor, "machine.read", projectId)) throw notFound(input.machineId ? "Machine" : "Project");
  assertCan(ctx.actor, "schedule.manage", projectId);
  // A machine's schedule of an action its provider cannot do would only ever be skipped.
  const capability = OPERATION_SPECS[input.action].capability;
  if (machine?.provider && capability && !hasCapability(machine.provider.kind, capability)) {
    throw validationError({ action: [`The machine's provider (${machine.provider.kind}) cannot do this`] });
  }
  const project = await ctx.db.project.findUnique({ where: { id: projectId }, select: { id: true, timeZone: true } });
  if (!project) throw notFound("Project");
  if (input.targetId && !(await ctx.db.backupTarget.findUnique({ where: { id: input.targetId }, select: { id: true } }))) throw notFound("Backup target");
  const nextRunAt = nextOccurrence(input.cron, project.timeZone, ctx.now());
  return ctx.db.$transaction(async (tx) => {
    const s = await tx.schedule.create({
      data: {
        projectId,
        machineId: machine?.id ?? null,
        name: input.name,
        action: input.action,
        cron: input.cron,
        timeZone: project.timeZone,
        params: { ...(input.targetId ? { targetId: input.targetId } : {}), ...(input.keep ? { keep: input.keep } : {}) },
        nextRunAt,
        createdById: ctx.actor.id,
      },
    });
    await recordAudit(tx, ctx, {
      action: "schedule.create",
      targetType: "Schedule",
      targetId: s.id,
      projectId,
      after: { name: s.name, machine: machine?.name ?? null, action: s.action, cron: s.cron, timeZone: s.timeZone, ...(input.keep ? { keep: input.keep } : {}) },
    });
    return { id: s.id, nextRunAt: nextRunAt?.toISOString() ?? null, timeZone: project.timeZone };
  });
}

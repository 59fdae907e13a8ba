import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { can, projectsWhere } from "../auth/permissions";
import { notFound } from "../errors";
import type { listSchedulesSchema } from "./schemas";
import { windowAt } from "./cron";

/**
 * Schedules that act on a machine (its own and its project's), or of a project, or of every
 * project the actor sees; with their last firings, and the machine's availability settings.
 */
export async function listSchedules(ctx: Ctx, input: z.infer<typeof listSchedulesSchema>) {
  const machine = input.machineId
    ? await ctx.db.machine.findUnique({ where: { id: input.machineId }, select: { id: true, projectId: true, highlyAvailable: true, stopWindowCron: true, stopWindowMinutes: true, project: { select: { timeZone: true } } } })
    : null;
  if (input.machineId && (!machine || !can(ctx.actor, "machine.read", machine.projectId))) throw notFound("Machine");
  if (input.projectId && !can(ctx.actor, "machine.read", input.projectId)) throw notFound("Project");
  const projects = projectsWhere(ctx.actor, "machine.read");
  const rows = await ctx.db.schedule.findMany({
    where: machine
      ? { projectId: machine.projectId, OR: [{ machineId: machine.id }, { machineId: null }] }
      : input.projectId
        ? { projectId: input.projectId }
        : projects === null
          ? {}
          : { projectId: { in: projects } },
    orderBy: [{ createdAt: "asc" }],
    include: { machine: { select: { name: true } }, project: { select: { name: true } } },
  });
  const firings = rows.length
    ? await ctx.db.scheduledFiring.findMany({ where: { source: { in: rows.map((r) => `schedule:${r.id}`) } }, orderBy: { occurrence: "desc" }, take: 50 })
    : [];
  const canManage = machine ? can(ctx.actor, "schedule.manage", machine.projectId) : false;
  // A machine's schedule form offers BACKUP with one of the targets.
  const targets = canManage ? await ctx.db.backupTarget.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }) : [];
  const stopWindow =
    machine?.stopWindowCron && machine.stopWindowMinutes ? windowAt(machine.stopWindowCron, machine.stopWindowMinutes, machine.project.timeZone, ctx.now()) : null;
  return {
    timeZone: machine?.project.timeZone ?? null,
    availability: machine
      ? {
          highlyAvailable: machine.highlyAvailable,
          stopWindowCron: machine.stopWindowCron,
          stopWindowMinutes: machine.stopWindowMinutes,
          stopWindow: stopWindow ? { open: stopWindow.open, opensAt: stopWindow.opensAt?.toISOString() ?? null, closesAt: stopWindow.closesAt?.toISOString() ?? null } : null,
        }
      : null,
    canManage,
    targets,
    items: rows.map((s) => ({
      id: s.id,
      name: s.name,
      action: s.action,
      cron: s.cron,
      timeZone: s.timeZone,
      enabled: s.enabled,
      keep: typeof (s.params as { keep?: unknown } | null)?.keep === "number" ? ((s.params as { keep: number }).keep) : null,
      scope: s.machineId ? ("machine" as const) : ("project" as const),
      machine: s.machine?.name ?? null,
      project: s.project.name,
      nextRunAt: s.nextRunAt?.toISOString() ?? null,
      lastRunAt: s.lastRunAt?.toISOString() ?? null,
      canManage: can(ctx.actor, "schedule.manage", s.projectId),
      firings: firings
        .filter((f) => f.source === `schedule:${s.id}`)
        .slice(0, 5)
        .map((f) => ({ occurrence: f.occurrence.toISOString(), outcome: f.outcome, operations: f.operations })),
    })),
  };
}
export type SchedulesView = Awaited<ReturnType<typeof listSchedules>>;

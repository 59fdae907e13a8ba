// What the export page offers: the projects whose stacks the actor may read and, for the one
// chosen, its machines (live ones; those already in a stack are marked, they cannot be adopted).
import "server-only";
import type { Ctx } from "../context";
import { can, projectsWhere } from "../auth/permissions";

export interface ExportableMachines {
  projects: { id: string; name: string }[];
  projectId: string | null;
  machines: { id: string; name: string; state: string; offering: string; template: string; stackName: string | null }[];
}

export async function exportableMachines(ctx: Ctx, input: { projectId?: string }): Promise<ExportableMachines> {
  const readable = projectsWhere(ctx.actor, "stack.read");
  const projects = (await ctx.db.project.findMany({ where: { archived: false, ...(readable === null ? {} : { id: { in: readable } }) }, orderBy: { name: "asc" }, select: { id: true, name: true } })).filter((p) =>
    can(ctx.actor, "stack.read", p.id),
  );
  const projectId = projects.find((p) => p.id === input.projectId)?.id ?? projects[0]?.id ?? null;
  if (!projectId) return { projects, projectId, machines: [] };
  const rows = await ctx.db.machine.findMany({
    where: { projectId, deletedAt: null, state: { notIn: ["DELETED", "DELETING"] } },
    orderBy: { name: "asc" },
    take: 500,
    select: { id: true, name: true, state: true, stackId: true, offering: { select: { name: true } }, template: { select: { name: true } } },
  });
  const stackIds = [...new Set(rows.map((m) => m.stackId).filter((s): s is string => !!s))];
  const stacks = new Map((await ctx.db.stack.findMany({ where: { id: { in: stackIds } }, select: { id: true, name: true } })).map((s) => [s.id, s.name]));
  return {
    projects,
    projectId,
    machines: rows.map((m) => ({ id: m.id, name: m.name, state: m.state, offering: m.offering.name, template: m.template.name, stackName: m.stackId ? (stacks.get(m.stackId) ?? "?") : null })),
  };
}

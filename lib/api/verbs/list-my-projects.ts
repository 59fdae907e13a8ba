// The projects the actor can see (their memberships; every project for an administrator),
// with the actor's role, quota and usage: what an API client needs to pick a projectId and
// to know whether a request would fit. The admin list (lib/projects/list-projects.ts) is
// for project management.
import "server-only";
import type { Ctx } from "../../context";
import { projectsWhere } from "../../auth/permissions";
import type { ListMyProjectsInput } from "./schemas";

export async function listMyProjects(ctx: Ctx, input: ListMyProjectsInput) {
  const readable = projectsWhere(ctx.actor, "project.read");
  const rows = await ctx.db.project.findMany({
    where: { ...(readable === null ? {} : { id: { in: readable } }), ...(input.includeArchived ? {} : { archived: false }) },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: {
      id: true,
      name: true,
      slug: true,
      description: true,
      archived: true,
      maxLeaseDays: true,
      quotaVcpu: true,
      quotaMemoryMb: true,
      quotaDiskSsdGb: true,
      quotaDiskHddGb: true,
      quotaMachines: true,
      monthlyBudgetCents: true,
      usedVcpu: true,
      usedMemoryMb: true,
      usedDiskSsdGb: true,
      usedDiskHddGb: true,
      usedMachines: true,
      usedMonthlyCents: true,
    },
  });
  return {
    items: rows.map((p) => ({
      id: p.id,
      name: p.name,
      slug: p.slug,
      description: p.description,
      archived: p.archived,
      /** Null for an administrator who is not a member. */
      role: ctx.actor.memberships.get(p.id) ?? null,
      maxLeaseDays: p.maxLeaseDays,
      quota: {
        vcpu: p.quotaVcpu,
        memoryMb: p.quotaMemoryMb,
        diskSsdGb: p.quotaDiskSsdGb,
        diskHddGb: p.quotaDiskHddGb,
        machines: p.quotaMachines,
        monthlyBudgetCents: p.monthlyBudgetCents,
      },
      used: {
        vcpu: p.usedVcpu,
        memoryMb: p.usedMemoryMb,
        diskSsdGb: p.usedDiskSsdGb,
        diskHddGb: p.usedDiskHddGb,
        machines: p.usedMachines,
        monthlyCents: p.usedMonthlyCents,
      },
    })),
  };
}

// A project's placement policy, whether its members may target one provider, and its budget
// alert thresholds (administrators). Which providers it may use, and its default one, are the
// project's provider settings (lib/projects, ProjectProvider).
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import type { ProjectCostSettingsInput } from "./schemas";

export async function getProjectCostSettings(ctx: Ctx, input: { projectId: string }) {
  assertCan(ctx.actor, "project.manage");
  const project = await ctx.db.project.findUnique({
    where: { id: input.projectId },
    select: { id: true, placementPolicy: true, providerChoice: true, monthlyBudgetCents: true, budgetThresholds: { orderBy: [{ basis: "asc" }, { percent: "asc" }] } },
  });
  if (!project) throw notFound("Project");
  return {
    projectId: project.id,
    placementPolicy: project.placementPolicy,
    providerChoice: project.providerChoice,
    monthlyBudgetCents: project.monthlyBudgetCents,
    thresholds: project.budgetThresholds.map((t) => ({ percent: t.percent, basis: t.basis })),
  };
}
export type ProjectCostSettings = Awaited<ReturnType<typeof getProjectCostSettings>>;

export async function updateProjectCostSettings(ctx: Ctx, input: ProjectCostSettingsInput) {
  assertCan(ctx.actor, "project.manage");
  return ctx.db.$transaction(async (tx) => {
    const before = await tx.project.findUnique({
      where: { id: input.projectId },
      select: { placementPolicy: true, providerChoice: true, budgetThresholds: { select: { percent: true, basis: true } } },
    });
    if (!before) throw notFound("Project");
    await tx.project.update({
      where: { id: input.projectId },
      data: { placementPolicy: input.placementPolicy, providerChoice: input.providerChoice },
    });
    await tx.budgetThreshold.deleteMany({ where: { projectId: input.projectId } });
    if (input.thresholds.length) await tx.budgetThreshold.createMany({ data: input.thresholds.map((t) => ({ projectId: input.projectId, percent: t.percent, basis: t.basis })) });
    const after = { placementPolicy: input.placementPolicy, providerChoice: input.providerChoice, budgetThresholds: input.thresholds };
    await recordAudit(tx, ctx, { action: "project.cost_settings", targetType: "Project", targetId: input.projectId, projectId: input.projectId, before, after });
    return { projectId: input.projectId, ...after };
  });
}

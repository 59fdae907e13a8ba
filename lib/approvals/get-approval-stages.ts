// A project's approval stages with the approvers an administrator may name (the settings form).
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import { env } from "../env";
import { parseInput } from "../providers/parse-input";
import { getApprovalStagesSchema } from "./schemas";
import { projectApproverIds } from "./stage-approvers";

export async function getApprovalStages(ctx: Ctx, input: { projectId: string }) {
  assertCan(ctx.actor, "project.manage");
  const v = parseInput(getApprovalStagesSchema, input);
  const project = await ctx.db.project.findUnique({
    where: { id: v.projectId },
    select: { id: true, name: true, autoApproveBelowCents: true, approvalStages: { orderBy: { position: "asc" } } },
  });
  if (!project) throw notFound("Project");
  const ids = await ctx.db.$transaction((tx) => projectApproverIds(tx, project.id));
  const approvers = await ctx.db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true }, orderBy: { name: "asc" } });
  return {
    projectId: project.id,
    projectName: project.name,
    autoApproveBelowCents: project.autoApproveBelowCents,
    currency: env().ORQ_CURRENCY,
    stages: project.approvalStages.map((s) => ({
      position: s.position,
      name: s.name,
      allProjectApprovers: s.projectRole === "APPROVER",
      approverIds: s.approverIds,
      minMonthlyCents: s.minMonthlyCents,
    })),
    approvers,
  };
}
export type ApprovalStagesView = Awaited<ReturnType<typeof getApprovalStages>>;

// An administrator sets a project's multi-stage approval policy (replaces its stages). Named
// approvers must be approvers of the project. Requests already waiting keep their stage
// position; the next stage is read from the policy as it is when they advance.
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound, validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { parseInput } from "../providers/parse-input";
import { setApprovalStagesSchema, type SetApprovalStagesInput } from "./schemas";
import { projectApproverIds } from "./stage-approvers";

export async function setApprovalStages(ctx: Ctx, input: SetApprovalStagesInput): Promise<{ changed: boolean; stages: number }> {
  assertCan(ctx.actor, "project.manage");
  const v = parseInput(setApprovalStagesSchema, input);
  const fields: Record<string, string[]> = {};
  v.stages.forEach((s, i) => {
    if (!s.allProjectApprovers && s.approverIds.length === 0) fields[`stages.${i}.approverIds`] = ["stageWithoutApprovers"];
  });
  if (Object.keys(fields).length) throw validationError(fields);
  return ctx.db.$transaction(async (tx) => {
    const project = await tx.project.findUnique({ where: { id: v.projectId }, include: { approvalStages: { orderBy: { position: "asc" } } } });
    if (!project) throw notFound("Project");
    const approvers = new Set(await projectApproverIds(tx, project.id));
    v.stages.forEach((s, i) => {
      if (s.approverIds.some((id) => !approvers.has(id))) fields[`stages.${i}.approverIds`] = ["approverNotInProject"];
    });
    if (Object.keys(fields).length) throw validationError(fields);
    const view = (s: { name: string; projectRole: string | null; approverIds: readonly string[]; minMonthlyCents: number | null }) => ({
      name: s.name,
      allProjectApprovers: s.projectRole === "APPROVER",
      approverIds: [...new Set(s.approverIds)].sort(),
      minMonthlyCents: s.minMonthlyCents,
    });
    const before = project.approvalStages.map(view);
    const after = v.stages.map((s) => view({ ...s, projectRole: s.allProjectApprovers ? "APPROVER" : null }));
    if (JSON.stringify(before) === JSON.stringify(after)) return { changed: false, stages: after.length };
    await tx.approvalStage.deleteMany({ where: { projectId: project.id } });
    if (after.length) {
      await tx.approvalStage.createMany({
        data: after.map((s, i) => ({
          projectId: project.id,
          position: i + 1,
          name: s.name,
          projectRole: s.allProjectApprovers ? ("APPROVER" as const) : null,
          approverIds: s.approverIds,
          minMonthlyCents: s.minMonthlyCents,
        })),
      });
    }
    await recordAudit(tx, ctx, { action: "project.set_approval_stages", targetType: "Project", targetId: project.id, projectId: project.id, before: { stages: before }, after: { stages: after } });
    return { changed: true, stages: after.length };
  });
}

// A comment on a request, between its requester and its approvers. Each comment notifies the
// other side: the requester's comment goes to the approvers who decide it now (the current
// stage's, else the project's), with those who already commented or decided; an approver's
// comment goes to the requester.
import "server-only";
import type { Ctx } from "../context";
import { can } from "../auth/permissions";
import { forbidden, notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { notify } from "../notifications/notify";
import { isStageApprover } from "../approvals/stages";
import { projectApproverIds, stageApproverIds } from "../approvals/stage-approvers";
import { parseInput } from "../providers/parse-input";
import { addRequestCommentSchema, type AddRequestCommentInput } from "./schemas";

export async function addRequestComment(ctx: Ctx, input: AddRequestCommentInput): Promise<{ commentId: string; notified: number }> {
  const v = parseInput(addRequestCommentSchema, input);
  return ctx.db.$transaction(async (tx) => {
    const r = await tx.request.findUnique({ where: { id: v.requestId }, include: { project: { select: { name: true } } } });
    const own = r?.requesterId === ctx.actor.id;
    if (!r || !(own || can(ctx.actor, "request.read", r.projectId))) throw notFound("Request");
    const stages = await tx.approvalStage.findMany({ where: { projectId: r.projectId }, orderBy: { position: "asc" } });
    const approver = can(ctx.actor, "request.approve", r.projectId) || stages.some((s) => isStageApprover(ctx.actor, r.projectId, s));
    if (!own && !approver) throw forbidden("Only the requester and the approvers of the project comment on a request");
    const comment = await tx.requestComment.create({ data: { requestId: r.id, authorId: ctx.actor.id, body: v.body, createdAt: ctx.now() } });
    await recordAudit(tx, ctx, { action: "request.comment", targetType: "Request", targetId: r.id, projectId: r.projectId, after: { commentId: comment.id } });

    let recipients: string[];
    if (own) {
      const stage = r.status === "PENDING_APPROVAL" && r.approvalStage !== null ? stages.find((s) => s.position === r.approvalStage) : undefined;
      const deciders = stage ? await stageApproverIds(tx, r.projectId, stage, r.requesterId) : await projectApproverIds(tx, r.projectId);
      const involved = await tx.requestComment.findMany({ where: { requestId: r.id, authorId: { not: r.requesterId } }, select: { authorId: true }, distinct: ["authorId"] });
      const decided = await tx.requestApproval.findMany({ where: { requestId: r.id }, select: { decidedById: true } });
      recipients = [...deciders, ...involved.map((c) => c.authorId), ...decided.map((d) => d.decidedById), ...(r.decidedById ? [r.decidedById] : [])];
    } else {
      recipients = [r.requesterId];
    }
    const unique = [...new Set(recipients)].filter((id) => id !== ctx.actor.id).slice(0, 50);
    const excerpt = v.body.length > 140 ? `${v.body.slice(0, 139)}…` : v.body;
    for (const id of unique) {
      await notify(tx, id, "request.commented", { requestNumber: r.number, projectName: r.project.name, authorName: ctx.actor.name, excerpt }, `/requests/${r.number}`);
    }
    return { commentId: comment.id, notified: unique.length };
  });
}

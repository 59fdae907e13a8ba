// An approver approves a pending request. Without approval stages (or none applying), this is
// the decision: machines are created in REQUESTED with a queued PROVISION operation each, and
// the project's quota is reserved, all in one transaction. With stages, it approves the stage
// the request waits at (only that stage's approvers may); the request moves to the next stage
// that applies, or, after the last one, is approved as above (quota reserved at FINAL approval).
import "server-only";
import type { Ctx } from "../context";
import { assertCan, can } from "../auth/permissions";
import { conflict, forbidden, notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { notify } from "../notifications/notify";
import { approveInTx, APPROVAL_TX_OPTIONS, type ApprovalResult } from "./approve-core";
import { isStageApprover, nextStage } from "./stages";
import { stageApproverIds } from "./stage-approvers";
import type { ApproveRequestInput } from "./schemas";

export interface ApproveResult extends ApprovalResult {
  /** The stage the request now waits at; null: it is approved. */
  waitingStage: { position: number; name: string } | null;
}

export async function approveRequest(ctx: Ctx, input: ApproveRequestInput): Promise<ApproveResult> {
  return ctx.db.$transaction(async (tx) => {
    const request = await tx.request.findUnique({ where: { id: input.requestId } });
    if (!request || !can(ctx.actor, "request.read", request.projectId)) throw notFound("Request");
    const stages = request.approvalStage === null ? [] : await tx.approvalStage.findMany({ where: { projectId: request.projectId }, orderBy: { position: "asc" } });
    const stage = stages.find((s) => s.position === request.approvalStage) ?? null;
    if (stage) {
      if (!isStageApprover(ctx.actor, request.projectId, stage)) throw forbidden(`Only the approvers of stage “${stage.name}” decide this request now`);
    } else {
      assertCan(ctx.actor, "request.approve", request.projectId);
    }
    if (request.requesterId === ctx.actor.id) throw forbidden("You cannot approve your own request; another approver must decide it");
    if (request.status !== "PENDING_APPROVAL") throw conflict("This request has already been decided", { reason: "ALREADY_DECIDED" });
    if (!stage) return { ...(await approveInTx(tx, ctx, request, { decidedById: ctx.actor.id, autoApproved: false })), waitingStage: null };

    // One decision per stage: of two concurrent approvals only one moves the request on.
    const next = nextStage(stages, request.monthlyCostCents, stage.position);
    const moved = await tx.request.updateMany({
      where: { id: request.id, status: "PENDING_APPROVAL", approvalStage: stage.position },
      data: { approvalStage: next?.position ?? null },
    });
    if (moved.count === 0) throw conflict("This stage of the request has already been decided", { reason: "ALREADY_DECIDED" });
    await tx.requestApproval.create({
      data: { requestId: request.id, position: stage.position, stageName: stage.name, approved: true, decidedById: ctx.actor.id, decidedAt: ctx.now() },
    });
    await recordAudit(tx, ctx, {
      action: "request.approve_stage",
      targetType: "Request",
      targetId: request.id,
      projectId: request.projectId,
      before: { status: "PENDING_APPROVAL", stage: stage.position },
      after: next ? { status: "PENDING_APPROVAL", stage: next.position, approvedStage: stage.name } : { approvedStage: stage.name },
    });
    if (!next) return { ...(await approveInTx(tx, ctx, request, { decidedById: ctx.actor.id, autoApproved: false })), waitingStage: null };
    const project = await tx.project.findUniqueOrThrow({ where: { id: request.projectId }, select: { name: true } });
    const requester = await tx.user.findUniqueOrThrow({ where: { id: request.requesterId }, select: { name: true } });
    for (const id of await stageApproverIds(tx, request.projectId, next, request.requesterId)) {
      if (id === ctx.actor.id) continue;
      await notify(
        tx,
        id,
        "request.awaiting_approval",
        { requestNumber: request.number, projectName: project.name, requesterName: requester.name, quantity: request.quantity },
        `/requests/${request.number}`,
      );
    }
    return { requestId: request.id, machineIds: [], operationIds: [], waitingStage: { position: next.position, name: next.name } };
  }, APPROVAL_TX_OPTIONS);
}

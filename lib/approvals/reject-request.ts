// An approver rejects a pending request, with a reason the requester sees.
import "server-only";
import type { Ctx } from "../context";
import { assertCan, can } from "../auth/permissions";
import { conflict, forbidden, notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { notify } from "../notifications/notify";
import type { RejectRequestInput } from "./schemas";
import { requestDecided } from "../events/request-events";
import { isStageApprover } from "./stages";

export async function rejectRequest(ctx: Ctx, input: RejectRequestInput): Promise<{ requestId: string }> {
  return ctx.db.$transaction(async (tx) => {
    const request = await tx.request.findUnique({ where: { id: input.requestId } });
    if (!request || !can(ctx.actor, "request.read", request.projectId)) throw notFound("Request");
    // With approval stages, only the approvers of the stage the request waits at may reject it
    // (rejection at any stage ends the request).
    const stage = request.approvalStage === null ? null : await tx.approvalStage.findUnique({ where: { projectId_position: { projectId: request.projectId, position: request.approvalStage } } });
    if (stage) {
      if (!isStageApprover(ctx.actor, request.projectId, stage)) throw forbidden(`Only the approvers of stage “${stage.name}” decide this request now`);
    } else {
      assertCan(ctx.actor, "request.approve", request.projectId);
    }
    if (request.requesterId === ctx.actor.id) throw forbidden("You cannot reject your own request; cancel it instead");
    const changed = await tx.request.updateMany({
      where: { id: request.id, status: "PENDING_APPROVAL", approvalStage: request.approvalStage },
      data: { status: "REJECTED", decisionReason: input.reason, decidedById: ctx.actor.id, decidedAt: ctx.now(), approvalStage: null },
    });
    if (changed.count === 0) throw conflict("This request has already been decided", { reason: "ALREADY_DECIDED" });
    if (stage) {
      await tx.requestApproval.create({
        data: { requestId: request.id, position: stage.position, stageName: stage.name, approved: false, reason: input.reason, decidedById: ctx.actor.id, decidedAt: ctx.now() },
      });
    }
    await recordAudit(tx, ctx, {
      action: "request.reject",
      targetType: "Request",
      targetId: request.id,
      projectId: request.projectId,
      before: { status: request.status },
      after: { status: "REJECTED", reason: input.reason, ...(stage ? { stage: stage.name } : {}) },
    });
    await notify(tx, request.requesterId, "request.rejected", { requestNumber: request.number, reason: input.reason }, `/requests/${request.number}`);
    await requestDecided(tx, request, { status: "REJECTED", decidedById: ctx.actor.id, reason: input.reason, autoApproved: false });
    return { requestId: request.id };
  });
}

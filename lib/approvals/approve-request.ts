// An approver approves a pending request: machines are created in REQUESTED with a queued
// PROVISION operation each, and the project's quota is reserved, all in one transaction.
import "server-only";
import type { Ctx } from "../context";
import { assertCan, can } from "../auth/permissions";
import { conflict, forbidden, notFound } from "../errors";
import { approveInTx, APPROVAL_TX_OPTIONS, type ApprovalResult } from "./approve-core";
import type { ApproveRequestInput } from "./schemas";

export async function approveRequest(ctx: Ctx, input: ApproveRequestInput): Promise<ApprovalResult> {
  return ctx.db.$transaction(async (tx) => {
    const request = await tx.request.findUnique({ where: { id: input.requestId } });
    if (!request || !can(ctx.actor, "request.read", request.projectId)) throw notFound("Request");
    assertCan(ctx.actor, "request.approve", request.projectId);
    if (request.requesterId === ctx.actor.id) throw forbidden("You cannot approve your own request; another approver must decide it");
    if (request.status !== "PENDING_APPROVAL") throw conflict("This request has already been decided", { reason: "ALREADY_DECIDED" });
    return approveInTx(tx, ctx, request, { decidedById: ctx.actor.id, autoApproved: false });
  }, APPROVAL_TX_OPTIONS);
}

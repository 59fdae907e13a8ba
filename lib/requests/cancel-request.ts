// The requester withdraws a request that is still waiting for a decision.
import "server-only";
import type { Ctx } from "../context";
import { assertCan, can } from "../auth/permissions";
import { conflict, forbidden, notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import type { RequestIdInput } from "./schemas";

export async function cancelRequest(ctx: Ctx, input: RequestIdInput): Promise<{ requestId: string }> {
  return ctx.db.$transaction(async (tx) => {
    const request = await tx.request.findUnique({ where: { id: input.requestId } });
    const visible = request && (request.requesterId === ctx.actor.id || can(ctx.actor, "request.read", request.projectId));
    if (!request || !visible) throw notFound("Request");
    if (request.requesterId !== ctx.actor.id) throw forbidden("Only the person who made a request can cancel it");
    assertCan(ctx.actor, "request.cancel", request.projectId);
    const changed = await tx.request.updateMany({
      where: { id: request.id, requesterId: ctx.actor.id, status: "PENDING_APPROVAL" },
      data: { status: "CANCELLED", decidedAt: ctx.now() },
    });
    if (changed.count === 0) throw conflict("Only a request waiting for approval can be cancelled", { status: request.status });
    await recordAudit(tx, ctx, {
      action: "request.cancel",
      targetType: "Request",
      targetId: request.id,
      projectId: request.projectId,
      before: { status: request.status },
      after: { status: "CANCELLED" },
    });
    return { requestId: request.id };
  });
}

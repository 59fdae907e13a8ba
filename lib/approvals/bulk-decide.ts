// An approver decides several pending requests at once (the approvals queue's bulk approve /
// bulk reject). Each request goes through the single-decision verb (approveRequest /
// rejectRequest): its own transaction, permission and stage checks, audit event and
// notifications. So with approval stages only the stage the request waits at is decided, and
// only when the actor approves that stage; a request the actor cannot decide (not theirs to
// decide, their own, already decided, over quota) is skipped with its reason and does not undo
// the others.
import "server-only";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { logger } from "../log/logger";
import { parseInput } from "../offerings/parse-input";
import { approveRequest } from "./approve-request";
import { rejectRequest } from "./reject-request";
import { bulkDecideSchema, type BulkDecideInput } from "./schemas";

export type BulkDecisionResult =
  | { requestId: string; number: number | null; ok: true; status: "APPROVED" | "REJECTED" | "PENDING_APPROVAL"; waitingStage: { position: number; name: string } | null }
  | { requestId: string; number: number | null; ok: false; code: AppError["code"]; reason: string };

export interface BulkDecisionSummary {
  results: BulkDecisionResult[];
  /** Requests decided (approved, a stage approved, or rejected). */
  decided: number;
  skipped: number;
}

export async function bulkDecide(ctx: Ctx, input: BulkDecideInput): Promise<BulkDecisionSummary> {
  const f = parseInput(bulkDecideSchema, input);
  // The numbers, for the answer only (what the actor cannot see keeps a null number).
  const known = await ctx.db.request.findMany({ where: { id: { in: f.requestIds } }, select: { id: true, number: true } });
  const numberOf = new Map(known.map((r) => [r.id, r.number]));
  const results: BulkDecisionResult[] = [];
  for (const requestId of f.requestIds) {
    try {
      if (f.decision === "approve") {
        const r = await approveRequest(ctx, { requestId });
        results.push({ requestId, number: numberOf.get(requestId) ?? null, ok: true, status: r.waitingStage ? "PENDING_APPROVAL" : "APPROVED", waitingStage: r.waitingStage });
      } else {
        await rejectRequest(ctx, { requestId, reason: f.reason ?? "" });
        results.push({ requestId, number: numberOf.get(requestId) ?? null, ok: true, status: "REJECTED", waitingStage: null });
      }
    } catch (err) {
      // Hidden requests read "not found" (no number either), like everywhere else.
      const number = err instanceof AppError && err.code === "NOT_FOUND" ? null : (numberOf.get(requestId) ?? null);
      if (err instanceof AppError) results.push({ requestId, number, ok: false, code: err.code, reason: err.message });
      else {
        logger.error({ err, requestId, correlationId: ctx.correlationId }, "bulk request decision failed");
        results.push({ requestId, number, ok: false, code: "INTERNAL", reason: "Something went wrong; try this request again." });
      }
    }
  }
  const decided = results.filter((r) => r.ok).length;
  return { results, decided, skipped: results.length - decided };
}

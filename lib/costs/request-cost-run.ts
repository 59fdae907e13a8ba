// An administrator asks the worker to bring the cost ledger up to date now (the run otherwise
// comes every ORQ_COST_ACCRUAL_MINUTES): accrual, rollup and budget alerts.
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { recordAudit } from "../audit/record-audit";
import { enqueueCostRun } from "./cost-task";

export async function requestCostRun(ctx: Ctx, _input: Record<string, never>): Promise<{ queued: true }> {
  assertCan(ctx.actor, "price.manage");
  await ctx.db.$transaction(async (tx) => {
    await enqueueCostRun(tx);
    await recordAudit(tx, ctx, { action: "costs.run", targetType: "CostLedger", targetId: "1" });
  });
  return { queued: true };
}

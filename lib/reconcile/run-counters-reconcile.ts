import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { reconcileCounters, type CountersOutcome } from "../orchestration/reconcile-counters";
import type { RunCountersReconcileInput } from "./schemas";

/**
 * "Check counters now": compares every project's and host's stored usage with the sum of
 * live reservations and, unless asked to report only, repairs what drifted (each repair
 * audited with this administrator as the actor).
 */
export async function runCountersReconcile(ctx: Ctx, input: RunCountersReconcileInput): Promise<CountersOutcome> {
  assertCan(ctx.actor, "reconcile.run");
  return reconcileCounters(ctx.db, { repair: input.repair ?? true, trigger: "admin", correlationId: ctx.correlationId, actor: ctx.actor });
}

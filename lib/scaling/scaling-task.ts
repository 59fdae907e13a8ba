// The scaling groups in the worker. Every metrics run evaluates them right after sampling
// (lib/monitoring/metrics-task.ts), so a group reacts within the sampling round that saw the
// load; the task orq-scaling (payload `groupId`, `now`) evaluates at once (after a group is
// created or edited, tests, operators). Registration: lib/orchestration/worker.ts.
import type { Task } from "graphile-worker";
import type { Logger } from "pino";
import type { Db } from "../db/client";
import { evaluateScalingGroups, SCALING_TASK, scalingFaults } from "./evaluate-scaling";

export { SCALING_TASK };

type Log = Pick<Logger, "info" | "warn" | "debug">;

/**
 * Test-only (ORQ_TEST_SCALING_HOLD_MS): after writing a decision, still inside its transaction,
 * the worker logs "scaling decision held" and waits, so a test can kill it right there.
 */
export function installScalingTestHold(log: Log, env: Record<string, string | undefined> = process.env) {
  const ms = Number(env.ORQ_TEST_SCALING_HOLD_MS);
  if (!Number.isFinite(ms) || ms <= 0) return;
  scalingFaults.afterDecision = async (groupId) => {
    log.info({ groupId }, "scaling decision held");
    await new Promise((r) => setTimeout(r, ms));
  };
}

export function scalingTask(db: Db, opts: { now?: () => Date; log?: Log } = {}): Task {
  return async (payload) => {
    const p = (payload ?? {}) as { now?: unknown; groupId?: unknown };
    const now = typeof p.now === "string" && !Number.isNaN(Date.parse(p.now)) ? new Date(p.now) : (opts.now?.() ?? new Date());
    await evaluateScalingGroups(db, { now, groupId: typeof p.groupId === "string" ? p.groupId : undefined, log: opts.log });
  };
}

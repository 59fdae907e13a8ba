// The worker's cost run as a graphile-worker task. Registration (owned by the orchestration
// worker, lib/orchestration/worker.ts):
//   taskList[COSTS_TASK] = costsTask(db, { now, log })
//   crontab line: costsCrontab()
// One run: accrue every machine to now (accrue-costs.ts), roll up the days that are complete
// (rollup-costs.ts), then check budget thresholds (budget-alerts.ts). Runs one at a time (one
// queue); the accrual is safe against a concurrent run anyway. Payload `now` (ISO) runs it as
// of another moment (tests, operators).
import type { Task } from "graphile-worker";
import type { Logger } from "pino";
import type { Db, Tx } from "../db/client";
import { enqueueJob } from "../orchestration/enqueue";
import { accrueCosts } from "./accrue-costs";
import { checkBudgetAlerts } from "./budget-alerts";
import { costTimeZone } from "./calendar";
import { rollupCosts } from "./rollup-costs";

export const COSTS_TASK = "orq-costs";
const QUEUE = "orq-costs";

/** Every ORQ_COST_ACCRUAL_MINUTES minutes (default 5; 1 to 60). */
export function costsCrontab(env: Record<string, string | undefined> = process.env): string {
  const n = Number(env.ORQ_COST_ACCRUAL_MINUTES);
  const minutes = Number.isInteger(n) && n >= 1 && n <= 60 ? n : 5;
  const spec = minutes === 60 ? "0 * * * *" : minutes === 1 ? "* * * * *" : `*/${minutes} * * * *`;
  return `${spec} ${COSTS_TASK} ?max=1&queue=${QUEUE}&jobKey=${COSTS_TASK}&jobKeyMode=preserve_run_at`;
}

export async function runCosts(db: Db, now: Date, log?: Pick<Logger, "info" | "warn" | "debug">) {
  const timeZone = costTimeZone();
  const accrued = await accrueCosts(db, { now, log });
  const rolled = await rollupCosts(db, { now, timeZone });
  const alerts = await checkBudgetAlerts(db, { now, timeZone });
  if (rolled.days) log?.info({ days: rolled.days, pruned: rolled.pruned }, "cost days rolled up");
  for (const a of alerts) log?.info(a, "budget threshold crossed; approvers notified");
  return { accrued, rolled, alerts };
}

export function costsTask(db: Db, opts: { now?: () => Date; log?: Pick<Logger, "info" | "warn" | "debug"> } = {}): Task {
  return async (payload) => {
    const p = (payload ?? {}) as { now?: unknown };
    const now = typeof p.now === "string" && !Number.isNaN(Date.parse(p.now)) ? new Date(p.now) : (opts.now?.() ?? new Date());
    const r = await runCosts(db, now, opts.log);
    opts.log?.debug({ until: r.accrued.until, machines: r.accrued.machines }, "cost run done");
  };
}

/** Asks the worker for a cost run now (an administrator's "Update now"), in the caller's transaction. */
export async function enqueueCostRun(tx: Tx): Promise<void> {
  await enqueueJob(tx, COSTS_TASK, {}, { queueName: QUEUE, jobKey: COSTS_TASK, jobKeyMode: "replace" });
}

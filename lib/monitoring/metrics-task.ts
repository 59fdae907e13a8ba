// The worker's monitoring run as a graphile-worker task. Registration (owned by the
// orchestration worker, lib/orchestration/worker.ts):
//   taskList[METRICS_TASK] = metricsTask(db, { now, log })
//   crontab line: METRICS_CRONTAB (every minute; each provider is sampled when its own
//   interval, Provider.metricsIntervalSeconds, has elapsed)
// One run: sample the due providers' running machines (sample-metrics.ts), evaluate the alert
// rules (evaluate-alerts.ts), the scaling groups (lib/scaling), then roll up and prune (rollup-metrics.ts). One at a time (one queue, jobKey). Payload `now` (ISO) runs it as
// of another moment (tests, operators).
import type { Task } from "graphile-worker";
import type { Logger } from "pino";
import type { Db } from "../db/client";
import { evaluateAlerts } from "./evaluate-alerts";
import { rollupMetrics } from "./rollup-metrics";
import { sampleMetrics } from "./sample-metrics";
import { evaluateScalingGroups } from "../scaling/evaluate-scaling";

export const METRICS_TASK = "orq-metrics";
const QUEUE = "orq-metrics";
export const METRICS_CRONTAB = `* * * * * ${METRICS_TASK} ?max=1&queue=${QUEUE}&jobKey=${METRICS_TASK}&jobKeyMode=preserve_run_at`;

type Log = Pick<Logger, "info" | "warn" | "debug">;

export async function runMetrics(db: Db, now: Date, log?: Log) {
  const sampled = await sampleMetrics(db, { now, log });
  const alerts = await evaluateAlerts(db, { now });
  for (const a of alerts) log?.info(a, a.change === "FIRED" ? "alert fired; owner and approvers notified" : "alert resolved");
  // Scaling groups judge the round just sampled (lib/scaling/evaluate-scaling.ts).
  const scaling = await evaluateScalingGroups(db, { now, log });
  const rolled = await rollupMetrics(db, now);
  log?.debug({ ...sampled, m5: rolled.m5, h1: rolled.h1, pruned: rolled.pruned }, "metrics run done");
  return { sampled, alerts, scaling, rolled };
}

export function metricsTask(db: Db, opts: { now?: () => Date; log?: Log } = {}): Task {
  return async (payload) => {
    const p = (payload ?? {}) as { now?: unknown };
    const now = typeof p.now === "string" && !Number.isNaN(Date.parse(p.now)) ? new Date(p.now) : (opts.now?.() ?? new Date());
    await runMetrics(db, now, opts.log);
  };
}

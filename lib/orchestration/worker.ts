// The orchestration worker: a graphile-worker runner (LISTEN/NOTIFY for latency, SKIP LOCKED
// so any number of workers on any number of hosts share one queue, a queue per machine so a
// machine's operations run in series) plus our own liveness heartbeat and cron sweeps.
//
// It survives the database going away: pools have error handlers (an idle client dying must
// not crash the process), and a supervisor restarts the runner whenever graphile-worker gives
// up (it shuts its pool down when it cannot record a job's completion), with backoff, until
// the database answers again. Jobs interrupted that way are unlocked and run again.
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { PrismaPg } from "@prisma/adapter-pg";
import { Logger as GwLogger, run, type Runner, type Task, type WorkerEvents } from "graphile-worker";
import pg from "pg";
import type { Logger } from "pino";
import { PrismaClient } from "../generated/prisma/client";
import type { Db } from "../db/client";
import { logger as rootLogger } from "../log/logger";
import { retryPolicyFromEnv, type RetryPolicy } from "./backoff";
import { MACHINE_OPERATIONS_TASK, RUN_OPERATION_TASK } from "./enqueue";
import { sweepLeases } from "./leases";
import { forgetWorker, heartbeat, recoverOrphanOperations, recoverStaleLocks, unlockPools } from "./recovery";
import { drainMachine, type EngineDeps } from "./run-operation";
import { PROVIDER_SYNC_CRONTAB, PROVIDER_SYNC_ONE_TASK, PROVIDER_SYNC_TASK, providerSyncOneTask, providerSyncTask } from "../providers/sync-task";
import { reconcileCounters } from "./reconcile-counters";
import { DEFAULT_HEARTBEAT_MS, workerStaleAfterMs } from "./liveness";
import { closeDriverPools } from "../drivers/registry";
import { COSTS_TASK, costsCrontab, costsTask } from "../costs/cost-task";
import { operationsTasks, OPERATIONS_CRONTAB } from "../operations/worker-tasks";
import { integrationCrontab, integrationTasks } from "../integrations/worker-tasks";
import { WORKLOAD_OPERATIONS_TASK } from "../workloads/enqueue";
import { drainWorkload } from "../workloads/engine";
import { METRICS_CRONTAB, METRICS_TASK, metricsTask } from "../monitoring/metrics-task";
import { STACKS_CRONTAB, STACKS_TASK, stacksTask } from "../stacks/stack-task";
import { WORKLOAD_RECONCILE_CRONTAB, WORKLOAD_RECONCILE_TASK, reconcileWorkloads } from "../workloads/reconcile-workloads";
import { installScalingTestHold, SCALING_TASK, scalingTask } from "../scaling/scaling-task";
import { pruneOldRecords, RETENTION_TASK, retentionConfig } from "../retention/prune-old-records";

export const LEASE_SWEEP_TASK = "orq-lease-sweep";
export const RECOVER_TASK = "orq-recover";
export const RECONCILE_COUNTERS_TASK = "orq-reconcile-counters";

/**
 * A lock held by a pool that never wrote a heartbeat (killed between taking a job and its
 * first beat) is freed after this: every live pool beats within milliseconds of starting.
 */
const UNKNOWN_POOL_AFTER_MS = 60_000;

export interface StartWorkerOptions {
  connectionString: string;
  /** Jobs run at once by this process (ORQ_WORKER_CONCURRENCY, default 10). */
  concurrency?: number;
  /** Polling for jobs scheduled in the future (retries); new jobs arrive by NOTIFY at once. */
  pollInterval?: number;
  /** Liveness heartbeat (ORQ_WORKER_HEARTBEAT_MS, default 5 s); a pool is dead after 3 missed beats. */
  heartbeatMs?: number;
  retry?: RetryPolicy;
  now?: () => Date;
  /** Register the cron sweeps (leases, recovery). Default true. */
  cron?: boolean;
  /** After a stop is asked, driver calls still running are aborted (and retried later) after this. */
  shutdownGraceMs?: number;
  log?: Logger;
}

export interface WorkerHandle {
  /** Finishes running jobs (aborting driver calls after the grace period), then closes everything. */
  stop: () => Promise<void>;
  /** The current graphile-worker pool id (changes when the runner is restarted). */
  poolId: () => string | null;
  db: Db;
}

const envNum = (name: string, fallback: number) => {
  const n = Number(process.env[name]);
  return process.env[name] && Number.isFinite(n) && n > 0 ? n : fallback;
};

function gwLogger(log: Logger): GwLogger {
  return new GwLogger((scope) => (level, message, meta) => {
    const child = log.child({ gw: scope.label ?? "worker", ...(scope.jobId ? { jobId: scope.jobId } : {}) });
    const lvl = level === "warning" ? "warn" : level === "error" ? "error" : level === "info" ? "info" : "debug";
    child[lvl](meta && typeof meta === "object" && "error" in meta ? { err: (meta as { error: unknown }).error } : {}, message);
  });
}

async function waitForDatabase(db: Db, firstWaitMs: number, deadline: number): Promise<void> {
  let wait = firstWaitMs;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, wait));
    try {
      await db.$queryRaw`select 1`;
      return;
    } catch {
      wait = Math.min(wait * 2, 10_000);
    }
  }
}

/**
 * graphile-worker's batching (ORQ_WORKER_LOCAL_QUEUE, default off): the pool locks up to that
 * many ready jobs in one query and hands them to its slots without a round trip each.
 * Jobs sitting in a worker's local queue are locked by it: a SIGKILLed worker's jobs come
 * back through the stale-lock recovery like its running ones.
 */
function batchingPreset(concurrency: number): { preset?: GraphileConfig.Preset } {
  const size = envNum("ORQ_WORKER_LOCAL_QUEUE", 0);
  if (size <= 1) return {};
  return { preset: { worker: { localQueue: { size: Math.max(size, concurrency + 1) } } } };
}

export async function startWorker(opts: StartWorkerOptions): Promise<WorkerHandle> {
  const log = (opts.log ?? rootLogger).child({ component: "worker" });
  const concurrency = opts.concurrency ?? envNum("ORQ_WORKER_CONCURRENCY", 10);
  const heartbeatMs = opts.heartbeatMs ?? envNum("ORQ_WORKER_HEARTBEAT_MS", DEFAULT_HEARTBEAT_MS);
  const staleAfterMs = workerStaleAfterMs(heartbeatMs);
  const shutdownGraceMs = opts.shutdownGraceMs ?? envNum("ORQ_SHUTDOWN_GRACE_MS", 5000);
  const now = opts.now ?? (() => new Date());

  // Our pools: error handlers keep a dropped connection from crashing the process.
  const gwPool = new pg.Pool({ connectionString: opts.connectionString, max: concurrency + 4 });
  gwPool.on("error", (err) => log.warn({ err: err.message }, "job-queue connection lost"));
  const appPool = new pg.Pool({ connectionString: opts.connectionString, max: concurrency + 4 });
  appPool.on("error", (err) => log.warn({ err: err.message }, "database connection lost"));
  for (const [pool, what] of [[gwPool, "job-queue"], [appPool, "database"]] as const) {
    pool.on("connect", (client) => client.on("error", (err) => log.warn({ err: err.message }, `${what} connection lost`)));
  }
  const db: Db = new PrismaClient({ adapter: new PrismaPg(appPool) });

  const shutdown = new AbortController();
  const deps: EngineDeps = { db, now, retry: opts.retry ?? retryPolicyFromEnv(), log, signal: shutdown.signal };

  // The database going away mid-operation is waited out inside the job (which stays locked by
  // this live worker) rather than thrown: graphile-worker cannot record a failure while the
  // database is down either. Re-running is safe: operations are idempotent (driver
  // idempotency keys, stored resize plans, attempt-fenced results, version checks).
  const drainResiliently = async (machineId: string) => {
    const deadline = Date.now() + envNum("ORQ_DB_OUTAGE_MAX_MS", 10 * 60_000);
    for (let wait = 500; ; wait = Math.min(wait * 2, 10_000)) {
      try {
        await drainMachine(deps, machineId);
        return;
      } catch (err) {
        if (stopping || Date.now() > deadline) throw err;
        log.warn({ machineId, err: (err as Error).message }, "operations interrupted (database unavailable?); resuming when it answers");
        await waitForDatabase(db, wait, deadline);
      }
    }
  };

  installScalingTestHold(log);
  const taskList: Record<string, Task> = {
    // Outbox dispatch, webhook deliveries, e-mails, the daily digest and retention.
    ...integrationTasks(db, { now, log }),
    // Inventory sync: drift and unmanaged machines, provider availability (every 5 minutes).
    [PROVIDER_SYNC_TASK]: providerSyncTask(db, { now, log }),
    [PROVIDER_SYNC_ONE_TASK]: providerSyncOneTask(db, { now, log }),
    // Stored usage counters against the sum of live reservations (nightly, and from /admin/reconcile).
    [RECONCILE_COUNTERS_TASK]: async (payload) => {
      const p = (payload ?? {}) as { trigger?: string };
      const r = await reconcileCounters(db, { repair: true, trigger: p.trigger ?? "schedule", correlationId: randomUUID() });
      if (r.drift.length) log.warn({ drift: r.drift.length, repaired: r.repaired }, "usage counters drifted and were repaired");
      else log.info("usage counters match the reservations");
    },
    // Cost accrual, daily rollup and budget alerts (every ORQ_COST_ACCRUAL_MINUTES, default 5).
    [COSTS_TASK]: costsTask(db, { now, log }),
    // Machine metrics sampling (per provider interval), rollups and retention (every minute).
    [METRICS_TASK]: metricsTask(db, { now, log }),
    [STACKS_TASK]: stacksTask(db, { now, log }),
    // Container workloads against what runs: missing or stopped replicas healed (every minute).
    [WORKLOAD_RECONCILE_TASK]: async () => {
      const r = await reconcileWorkloads({ db, now, log });
      if (r.healed || r.paused || r.failed) log.info(r, "workloads reconciled");
    },
    // Scaling groups now (after a group is created or edited); otherwise after each metrics run.
    [SCALING_TASK]: scalingTask(db, { now, log }),
    // Retention: audit events (archived to a file first), operations and notifications older
    // than ORQ_RETENTION_DAYS (daily at 04:30; payload `now` runs it as of another moment).
    [RETENTION_TASK]: async (payload) => {
      const p = (payload ?? {}) as { now?: unknown };
      const at = typeof p.now === "string" && !Number.isNaN(Date.parse(p.now)) ? new Date(p.now) : now();
      const r = await pruneOldRecords(db, at, retentionConfig());
      if (r.cutoff) log.info(r, "retention: old records pruned");
    },
    [MACHINE_OPERATIONS_TASK]: async (payload) => {
      const { machineId } = (payload ?? {}) as { machineId?: string };
      if (typeof machineId !== "string") {
        log.error({ payload }, "machine-operations job without machineId; dropped");
        return;
      }
      await drainResiliently(machineId);
    },
    // Container workloads: one job per workload runs its operations in order (lib/workloads/engine.ts).
    [WORKLOAD_OPERATIONS_TASK]: async (payload) => {
      const { workloadId } = (payload ?? {}) as { workloadId?: string };
      if (typeof workloadId === "string") await drainWorkload(deps, workloadId);
    },
    // Jobs queued by earlier releases (one per operation): run that operation's machine.
    [RUN_OPERATION_TASK]: async (payload) => {
      const { operationId } = (payload ?? {}) as { operationId?: string };
      const op = typeof operationId === "string" ? await db.operation.findUnique({ where: { id: operationId }, select: { machineId: true } }) : null;
      if (op) await drainResiliently(op.machineId);
    },
    // Payload `now` (ISO) lets tests and operators run a sweep as of another moment.
    [LEASE_SWEEP_TASK]: async (payload) => {
      const p = (payload ?? {}) as { now?: string };
      await sweepLeases(db, p.now ? new Date(p.now) : now(), log);
    },
    // Host drains, host monitor and HA fencing, maintenance windows, schedules, backup retention.
    ...operationsTasks(db, { now, log }),
    [RECOVER_TASK]: async () => {
      await recoverStaleLocks(db, { staleAfterMs, unknownAfterMs: UNKNOWN_POOL_AFTER_MS, selfPoolId: currentPool, log });
      await recoverOrphanOperations(db, { olderThanMs: 60_000, now, log });
    },
  };

  let runner: Runner | null = null;
  let currentPool: string | null = null;
  let stopping = false;

  const beat = async () => {
    if (!currentPool) return;
    try {
      await heartbeat(db, currentPool);
      await recoverStaleLocks(db, { staleAfterMs, unknownAfterMs: UNKNOWN_POOL_AFTER_MS, selfPoolId: currentPool, log });
    } catch (err) {
      log.debug({ err: (err as Error).message }, "heartbeat failed (database unreachable?)");
    }
  };
  const beatTimer = setInterval(() => void beat(), heartbeatMs);

  const startRunner = async (): Promise<Runner> => {
    const events: WorkerEvents = new EventEmitter() as WorkerEvents;
    events.on("pool:create", ({ workerPool }) => {
      currentPool = workerPool.id;
      void beat();
    });
    events.on("pool:listen:error", ({ error }) => log.warn({ err: (error as Error)?.message }, "job notifications lost; reconnecting"));
    return run({
      pgPool: gwPool,
      concurrency,
      pollInterval: opts.pollInterval ?? envNum("ORQ_WORKER_POLL_MS", 1000),
      ...batchingPreset(concurrency),
      taskList,
      crontab:
        opts.cron === false
          ? ""
          : `* * * * * ${LEASE_SWEEP_TASK}\n* * * * * ${RECOVER_TASK}\n${PROVIDER_SYNC_CRONTAB}\n0 3 * * * ${RECONCILE_COUNTERS_TASK} ?max=1&jobKey=${RECONCILE_COUNTERS_TASK}\n${OPERATIONS_CRONTAB}${costsCrontab()}\n${integrationCrontab()}\n${METRICS_CRONTAB}\n${STACKS_CRONTAB}\n${WORKLOAD_RECONCILE_CRONTAB}\n30 4 * * * ${RETENTION_TASK} ?max=1&jobKey=${RETENTION_TASK}`,
      noHandleSignals: true,
      logger: gwLogger(log),
      events,
    });
  };

  // Supervisor: (re)start the runner until stopped; back off while the database is away.
  const supervise = async (first: (r: Runner) => void) => {
    let delay = 500;
    let started = false;
    while (!stopping) {
      let pool: string | null = null;
      try {
        runner = await startRunner();
        pool = currentPool;
        // Registered (heartbeat row) before anyone is told this worker is ready.
        await beat();
        if (!started) {
          started = true;
          first(runner);
        }
        delay = 500;
        void recoverOrphanOperations(db, { olderThanMs: 60_000, now, log }).catch(() => {});
        await runner.promise;
        if (!stopping) log.warn("job runner stopped unexpectedly; restarting");
      } catch (err) {
        if (!stopping) log.warn({ err: (err as Error).message }, `job runner failed; restarting in ${delay} ms`);
      }
      runner = null;
      if (stopping) break;
      // The old pool's workers have exited: free whatever it still had locked, once we can.
      const dead = pool ?? currentPool;
      currentPool = null;
      if (dead) await unlockPools(db, [dead]).catch(() => {});
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(10_000, delay * 2);
    }
  };

  let supervisor: Promise<void> = Promise.resolve();
  // Resolves once a runner is up (it keeps trying while the database is unreachable).
  await new Promise<void>((resolve) => {
    supervisor = supervise(() => resolve());
  });
  log.info({ concurrency, poolId: currentPool }, "worker started");

  return {
    db,
    poolId: () => currentPool,
    stop: async () => {
      if (stopping) return supervisor;
      stopping = true;
      clearInterval(beatTimer);
      const abortTimer = setTimeout(() => shutdown.abort(), shutdownGraceMs);
      const pool = currentPool;
      try {
        await runner?.stop();
      } catch (err) {
        log.warn({ err: (err as Error).message }, "runner stop failed");
      }
      clearTimeout(abortTimer);
      await supervisor;
      if (pool) await forgetWorker(db, pool).catch(() => {});
      // Sessions drivers keep across operations (vSphere) are logged out, not left to expire.
      await closeDriverPools();
      await db.$disconnect().catch(() => {});
      await Promise.allSettled([gwPool.end(), appPool.end()]);
      log.info("worker stopped");
    },
  };
}

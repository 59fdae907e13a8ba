import "server-only";
// GET /api/health: readiness of the portal for load balancers and operators. 200 while the
// database answers and is migrated, 503 otherwise. The worker and the job queue are reported
// (a portal without a live worker still serves pages and accepts requests; their operations
// wait in the queue), so a monitor can alert on `worker.live == 0` or a growing
// `queue.oldestReadyAgeSeconds` without the load balancer taking the web servers out.
import type { Db } from "../db/client";
import { prisma } from "../db/client";
import { env } from "../env";
import { workerStaleAfterMs } from "../orchestration/liveness";

export interface HealthReport {
  ok: boolean;
  database: "up" | "down";
  worker?: {
    /** Workers whose last heartbeat is more recent than `staleAfterSeconds`. */
    live: number;
    lastHeartbeatAt: string | null;
    lastHeartbeatAgeSeconds: number | null;
    staleAfterSeconds: number;
  };
  queue?: {
    /** Jobs a worker could start now (due, not locked, their queue free). */
    ready: number;
    /** How long the oldest of them has been due. */
    oldestReadyAgeSeconds: number | null;
    /** Jobs locked by a worker (running). */
    running: number;
  };
  /** Plain-words problems that do not make the portal unready (e.g. no live worker). */
  warnings?: string[];
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export async function checkHealth(db: Db = prisma(), opts: { heartbeatMs?: number; timeoutMs?: number } = {}): Promise<HealthReport> {
  const staleAfterMs = workerStaleAfterMs(opts.heartbeatMs ?? env().ORQ_WORKER_HEARTBEAT_MS);
  const probe = async (): Promise<HealthReport> => {
    await db.$queryRaw`select 1 from "_prisma_migrations" limit 1`;
    const [workers, queue] = await Promise.all([
      db.$queryRaw<{ live: number; lastMs: number | null; ageMs: number | null }[]>`
        select count(*) filter (where "heartbeatAt" > (now() at time zone 'utc') - make_interval(secs => ${staleAfterMs / 1000}::float8))::int as live,
               (extract(epoch from max("heartbeatAt") at time zone 'utc') * 1000)::float8 as "lastMs",
               (extract(epoch from (now() at time zone 'utc') - max("heartbeatAt")) * 1000)::float8 as "ageMs"
          from "WorkerProcess"`,
      db.$queryRaw<{ ready: number; oldestAgeMs: number | null; running: number }[]>`
        select count(*) filter (where j.is_available and j.run_at <= now() and (q.id is null or q.is_available))::int as ready,
               (extract(epoch from now() - min(j.run_at) filter (where j.is_available and j.run_at <= now() and (q.id is null or q.is_available))) * 1000)::float8 as "oldestAgeMs",
               count(*) filter (where j.locked_at is not null)::int as running
          from graphile_worker._private_jobs j
          left join graphile_worker._private_job_queues q on q.id = j.job_queue_id`,
    ]);
    const w = workers[0];
    const q = queue[0];
    const report: HealthReport = {
      ok: true,
      database: "up",
      worker: {
        live: w.live,
        lastHeartbeatAt: w.lastMs === null ? null : new Date(w.lastMs).toISOString(),
        lastHeartbeatAgeSeconds: w.ageMs === null ? null : round1(Math.max(0, w.ageMs) / 1000),
        staleAfterSeconds: staleAfterMs / 1000,
      },
      queue: { ready: q.ready, oldestReadyAgeSeconds: q.oldestAgeMs === null ? null : round1(Math.max(0, q.oldestAgeMs) / 1000), running: q.running },
    };
    const warnings: string[] = [];
    if (w.live === 0) {
      warnings.push(
        w.lastMs === null
          ? "No worker has ever reported: operations wait in the queue until one runs."
          : `No live worker: the last heartbeat was ${Math.round(Math.max(0, w.ageMs ?? 0) / 1000)} s ago. Operations wait in the queue until a worker runs.`,
      );
    }
    if (warnings.length) report.warnings = warnings;
    return report;
  };

  // A database that hangs must not hang the probe: past the timeout it counts as down.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("health check timed out")), opts.timeoutMs ?? 5000);
  });
  try {
    return await Promise.race([probe(), timeout]);
  } catch {
    return { ok: false, database: "down" };
  } finally {
    clearTimeout(timer);
  }
}

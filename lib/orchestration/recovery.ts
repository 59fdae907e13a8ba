// Crash recovery. graphile-worker only frees a job locked by a dead worker after 4 hours; we
// do better with a heartbeat per worker pool (WorkerProcess): a job locked by a pool whose
// heartbeat stopped is unlocked at once and run again (the driver's idempotency key makes
// the second provision find the first one's machine). Also re-enqueues operations whose job
// vanished, and fails operations whose job gave up (graphile-worker's own retries exhausted).
import os from "node:os";
import type { Logger } from "pino";
import type { Db } from "../db/client";
import { enqueueMachine } from "./enqueue";
import { failOperation, OperationFailure } from "./run-operation";

export async function heartbeat(db: Db, poolId: string): Promise<void> {
  await db.$executeRaw`
    insert into "WorkerProcess" (id, hostname, pid, "startedAt", "heartbeatAt")
    values (${poolId}, ${os.hostname()}, ${process.pid}::int, now() at time zone 'utc', now() at time zone 'utc')
    on conflict (id) do update set "heartbeatAt" = now() at time zone 'utc'`;
}

export async function forgetWorker(db: Db, poolId: string): Promise<void> {
  await db.$executeRaw`delete from "WorkerProcess" where id = ${poolId}`;
}

/** Unlocks the jobs of these pools (they are known to be gone) and wakes the workers. */
export async function unlockPools(db: Db, poolIds: string[]): Promise<void> {
  if (poolIds.length === 0) return;
  await db.$transaction([
    db.$executeRaw`select graphile_worker.force_unlock_workers(${poolIds}::text[])`,
    db.$executeRaw`delete from "WorkerProcess" where id = any(${poolIds}::text[])`,
    db.$executeRaw`select pg_notify('jobs:insert', '{"r":0,"count":1}')`,
  ]);
}

/**
 * Frees jobs locked by pools that are gone: a registered pool whose heartbeat is older than
 * `staleAfterMs`, or a pool that never registered holding a lock for over `unknownAfterMs`.
 * Returns the pool ids it freed.
 */
export async function recoverStaleLocks(
  db: Db,
  opts: {
    staleAfterMs: number;
    unknownAfterMs: number;
    selfPoolId?: string | null;
    /** After a database restart, wait this long before judging heartbeats (default 2 x staleAfterMs). */
    restartGraceMs?: number;
    log?: Logger;
  },
): Promise<string[]> {
  const rows = await db.$queryRaw<{ lockedBy: string }[]>`
    with locks as (
      select locked_by, locked_at from graphile_worker._private_jobs where locked_by is not null
      union all
      select locked_by, locked_at from graphile_worker._private_job_queues where locked_by is not null
    )
    select distinct l.locked_by as "lockedBy"
    from locks l left join "WorkerProcess" w on w.id = l.locked_by
    where l.locked_by <> ${opts.selfPoolId ?? ""}
      and (
        (w.id is not null and w."heartbeatAt" < (now() at time zone 'utc') - make_interval(secs => ${opts.staleAfterMs / 1000}::float8))
        or (w.id is null and l.locked_at < now() - make_interval(secs => ${opts.unknownAfterMs / 1000}::float8))
      )
      -- After a database restart every heartbeat is old: give live workers time to beat again.
      and pg_postmaster_start_time() < now() - make_interval(secs => ${(opts.restartGraceMs ?? opts.staleAfterMs * 2) / 1000}::float8)`;
  const dead = rows.map((r) => r.lockedBy);
  if (dead.length) {
    await unlockPools(db, dead);
    opts.log?.warn({ pools: dead }, "released jobs of workers that stopped without finishing them");
  }
  // Rows of pools that died holding nothing.
  await db.$executeRaw`delete from "WorkerProcess" where "heartbeatAt" < (now() at time zone 'utc') - interval '1 day'`;
  return dead;
}

/**
 * Machines with operations still QUEUED or RUNNING but no job to run them get their job back;
 * a machine whose job exhausted graphile-worker's attempts (an error outside the engine's own
 * handling) has its head operation failed in plain words, and its job re-added for the rest.
 */
export async function recoverOrphanOperations(db: Db, opts: { olderThanMs: number; now: () => Date; log?: Logger }): Promise<{ requeued: number; failed: number }> {
  const rows = await db.$queryRaw<{ machineId: string; headId: string; jobState: "none" | "dead"; lastError: string | null }[]>`
    with waiting as (
      select distinct on (o."machineId") o."machineId", o.id as "headId"
      from "Operation" o
      where o.status in ('QUEUED', 'RUNNING')
        and o."createdAt" < (now() at time zone 'utc') - make_interval(secs => ${opts.olderThanMs / 1000}::float8)
      order by o."machineId", o.seq
    )
    select w."machineId", w."headId",
      case when j.id is null then 'none' else 'dead' end as "jobState", j.last_error as "lastError"
    from waiting w
    left join graphile_worker._private_jobs j on j.key = 'machine-ops:' || w."machineId"::text
    where (j.id is null or (j.attempts >= j.max_attempts and j.locked_at is null))
      -- A running job whose key moved to a newer job still works on the machine.
      and not exists (
        select 1 from graphile_worker._private_jobs r
        where r.locked_at is not null and r.key is null and (r.payload->>'machineId') = w."machineId"::text
      )
    limit 500`;
  let requeued = 0;
  let failed = 0;
  for (const r of rows) {
    if (r.jobState === "dead") {
      await failOperation(
        { db, now: opts.now },
        r.headId,
        new OperationFailure("INTERNAL", `The worker could not complete this operation${r.lastError ? `: ${r.lastError.split("\n")[0]}` : ""}`, false),
      );
      failed++;
    }
    await db.$transaction(async (tx) => {
      if (r.jobState === "dead") await tx.$executeRaw`delete from graphile_worker._private_jobs where key = ${"machine-ops:" + r.machineId} and locked_at is null`;
      await enqueueMachine(tx, r.machineId);
    });
    if (r.jobState === "none") requeued++;
  }
  if (requeued + failed) opts.log?.warn({ requeued, failed }, "recovered orphan operations");
  return { requeued, failed };
}

// Time from approval (the approval transaction committed, jobs enqueued) to RUNNING, with the
// simulator at zero latency and a real worker in this process, in a throw-away embedded
// PostgreSQL. Prints figures; never an assertion. Run:
//   node_modules/.bin/tsx --conditions=react-server scripts/bench-provision.ts [sequential] [burst] [concurrent]
// Scenarios: one machine at a time; one request of `burst` machines; `concurrent` requests of
// ONE project (one machine each) approved at once (issue 9's burst: they share the project
// row of the quota reservation); and, for the ratio, the throughput of no-op jobs through
// the same queue, database and worker concurrency.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPrisma } from "../lib/db/client";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";
import { startWorker } from "../lib/orchestration/worker";
import { Logger, run as runJobs } from "graphile-worker";
import { Pool as PgPool } from "pg";
import { approve, makeEstate } from "../test/orchestration/harness";

const SEQUENTIAL = Number(process.argv[2] ?? 30);
const BURST = Number(process.argv[3] ?? 50);
const CONCURRENT = Number(process.argv[4] ?? 40);
const CONCURRENCY = Number(process.env.ORQ_WORKER_CONCURRENCY ?? 10);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const line = (xs: number[]) =>
  `mean ${Math.round(xs.reduce((a, b) => a + b, 0) / xs.length)} ms  p50 ${Math.round(pct(xs, 50))} ms  p95 ${Math.round(pct(xs, 95))} ms  max ${Math.round(Math.max(...xs))} ms`;

const quietLogger = new Logger(() => () => {});

async function main() {
  process.env.ORQ_SIM_LATENCY_MS = "0";
  process.env.ORQ_LOG_LEVEL ??= "warn";
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "orq-bench-"));
  fs.chmodSync(base, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: path.join(base, "data"), persistent: false, database: "bench" });
  const db = createPrisma(pg.url);
  const { logger } = await import("../lib/log/logger");
  logger.level = "warn";
  await migrate(pg.url);
  const worker = await startWorker({ connectionString: pg.url, concurrency: CONCURRENCY, cron: false });
  let stopped = false;
  try {
    const e = await makeEstate(db, { hosts: 20, vcpuTotal: 64, memoryMbTotal: 1 << 20, diskSsdGbTotal: 100_000 });
    const runningAt = async (machineIds: string[]) => {
      for (;;) {
        const ops = await db.operation.findMany({ where: { machineId: { in: machineIds }, kind: "PROVISION" }, select: { status: true, finishedAt: true } });
        if (ops.length === machineIds.length && ops.every((o) => o.status === "SUCCEEDED" || o.status === "FAILED")) {
          if (ops.some((o) => o.status === "FAILED")) throw new Error("a provision failed");
          return ops.map((o) => o.finishedAt!.getTime());
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    // Warm-up (first queries compile, first connections open).
    await runningAt((await approve(db, e)).machineIds);

    const seq: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) {
      const a = await approve(db, e);
      const approvedAt = Date.now();
      const [done] = await runningAt(a.machineIds);
      seq.push(done - approvedAt);
    }
    console.log(`approval -> RUNNING, one machine at a time (${SEQUENTIAL}): ${line(seq)}`);

    const approvedAt = Date.now();
    const burst = await approve(db, e, { quantity: BURST });
    const committedAt = Date.now();
    const done = await runningAt(burst.machineIds);
    const lat = done.map((d) => d - committedAt);
    console.log(`approval of ${BURST} machines at once (commit took ${committedAt - approvedAt} ms) -> each RUNNING: ${line(lat)}`);

    // N requests of one project approved at once (each its own transaction).
    const t0 = Date.now();
    const calls: number[] = [];
    const approvals = await Promise.all(
      Array.from({ length: CONCURRENT }, async () => {
        const s = Date.now();
        const a = await approve(db, e);
        const committed = Date.now();
        calls.push(committed - s);
        return { committed, machineIds: a.machineIds };
      }),
    );
    const allIds = approvals.flatMap((a) => a.machineIds);
    const doneAll = await runningAt(allIds);
    const end = Math.max(...doneAll);
    const byMachine = await db.operation.findMany({ where: { machineId: { in: allIds }, kind: "PROVISION" }, select: { machineId: true, finishedAt: true } });
    const committedOf = new Map(approvals.flatMap((a) => a.machineIds.map((id) => [id, a.committed] as const)));
    const toRunning = byMachine.map((o) => o.finishedAt!.getTime() - committedOf.get(o.machineId)!);
    const machinesPerS = (allIds.length / ((end - t0) / 1000)).toFixed(1);
    console.log(`${CONCURRENT} requests of one project approved at once: approve call ${line(calls)}`);
    console.log(`  approval -> RUNNING: ${line(toRunning)}; ${machinesPerS} machines/s from first call to last RUNNING`);
    await worker.stop();
    stopped = true;

    // Raw queue throughput: the same number of no-op jobs, same database and concurrency.
    const noopPool = new PgPool({ connectionString: pg.url, max: CONCURRENCY + 4 });
    noopPool.on("error", () => {});
    noopPool.on("connect", (c) => c.on("error", () => {}));
    const runner = await runJobs({ pgPool: noopPool, concurrency: CONCURRENCY, pollInterval: 1000, taskList: { "bench-noop": async () => {} }, noHandleSignals: true, logger: quietLogger });
    const n0 = Date.now();
    await db.$executeRaw`select count(*) from graphile_worker.add_jobs((select array_agg(row('bench-noop', '{}'::json, null, null, 25::smallint, null, 0::smallint, null)::graphile_worker.job_spec) from generate_series(1, ${CONCURRENT * 5}::int)))`;
    for (;;) {
      const [{ n }] = await db.$queryRaw<{ n: bigint }[]>`select count(*) as n from graphile_worker.jobs where task_identifier = 'bench-noop'`;
      if (n === 0n) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const noopPerS = (CONCURRENT * 5) / ((Date.now() - n0) / 1000);
    await runner.stop();
    await noopPool.end();
    console.log(`no-op jobs through the same queue: ${noopPerS.toFixed(1)} jobs/s; approval burst / no-op = ${(Number(machinesPerS) / noopPerS).toFixed(3)}`);
  } finally {
    if (!stopped) await worker.stop();
    await db.$disconnect();
    await pg.stop();
    fs.rmSync(base, { recursive: true, force: true });
  }
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});

// Time from approval (the approval transaction committed, jobs enqueued) to RUNNING, with the
// simulator at zero latency and a real worker in this process, in a throw-away embedded
// PostgreSQL. Prints figures; never an assertion. Run:
//   node_modules/.bin/tsx --conditions=react-server scripts/bench-provision.ts [sequential] [burst] [concurrent] [rate] [seconds]
// Scenarios: one machine at a time; one request of `burst` machines; `concurrent` requests of
// ONE project (one machine each) approved at once (issue 9's burst: they share the project
// row of the quota reservation); `rate` approvals per second for `seconds` (issue 9's latency
// target: approval -> RUNNING p95 <= 1 s at 10 approvals/s; 0 skips it); and, for the ratio,
// the throughput of no-op jobs through the same queue, database and worker concurrency.
// ORQ_BENCH_WORKER=process runs the worker as its own process (as `npm start` and production
// do, web and worker apart) instead of inside this one, which also makes the approvals.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPrisma } from "../lib/db/client";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";
import { startWorker } from "../lib/orchestration/worker";
import { Logger, run as runJobs } from "graphile-worker";
import { Pool as PgPool } from "pg";
import { approve, makeEstate, spawnWorker, stopAllWorkers } from "../test/orchestration/harness";

const SEQUENTIAL = Number(process.argv[2] ?? 30);
const BURST = Number(process.argv[3] ?? 50);
const CONCURRENT = Number(process.argv[4] ?? 40);
const RATE = Number(process.argv[5] ?? 10);
const RATE_SECONDS = Number(process.argv[6] ?? 10);
const CONCURRENCY = Number(process.env.ORQ_WORKER_CONCURRENCY ?? 10);
const WORKER_PROCESS = process.env.ORQ_BENCH_WORKER === "process";

/** CPU seconds (user + system) of the processes `match` picks (by pid and parent pid), from /proc. */
function cpuOf(match: (pid: number, ppid: number) => boolean): number {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (!match(Number(d), Number(f[1]))) continue;
      total += (Number(f[11]) + Number(f[12])) / tick;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

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
  const worker = WORKER_PROCESS
    ? await spawnWorker(pg.url, { ORQ_SIM_LATENCY_MS: "0", ORQ_WORKER_CONCURRENCY: String(CONCURRENCY), ORQ_LOG_LEVEL: "warn", ORQ_RETRY_BASE_MS: "1000", ORQ_RETRY_MAX_MS: "30000" })
    : await startWorker({ connectionString: pg.url, concurrency: CONCURRENCY, cron: false });
  console.log(`worker: ${WORKER_PROCESS ? "its own process" : "in this process"}, concurrency ${CONCURRENCY}`);
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
        // The figures are the rows' finishedAt, so the polling interval does not change them;
        // 50 ms keeps the polling's own queries from competing with the worker for the CPU.
        await new Promise((r) => setTimeout(r, 50));
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

    // Where the CPU goes per machine: this process (the approvals, as a web server would make
    // them, and the bench's polling), the worker, PostgreSQL (every backend of this cluster).
    const postmaster = Number(fs.readFileSync(path.join(base, "data", "postmaster.pid"), "utf8").split("\n")[0]);
    const workerPid = "child" in worker ? worker.child.pid! : process.pid;
    const cpu = () => ({
      self: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6,
      worker: WORKER_PROCESS ? cpuOf((pid) => pid === workerPid) : 0,
      pg: cpuOf((pid, ppid) => pid === postmaster || ppid === postmaster),
    });
    const per = (a: number, b: number, n: number) => `${(((b - a) * 1000) / n).toFixed(1)} ms`;

    // A steady rate: one approval every 1/RATE s (each its own request of one machine), as
    // approvers and automatic approval would send them; approval -> RUNNING per machine.
    if (RATE > 0 && RATE_SECONDS > 0) {
      const n = Math.round(RATE * RATE_SECONDS);
      const c0 = cpu();
      const p0 = Date.now();
      const late: number[] = [];
      const paced = await Promise.all(
        Array.from({ length: n }, async (_, i) => {
          const due = p0 + (i * 1000) / RATE;
          await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
          const s = Date.now();
          late.push(s - due);
          const a = await approve(db, e);
          return { committed: Date.now(), call: Date.now() - s, machineIds: a.machineIds };
        }),
      );
      const ids = paced.flatMap((a) => a.machineIds);
      await runningAt(ids);
      const rows = await db.operation.findMany({ where: { machineId: { in: ids }, kind: "PROVISION" }, select: { machineId: true, finishedAt: true } });
      const committed = new Map(paced.flatMap((a) => a.machineIds.map((id) => [id, a.committed] as const)));
      const lat = rows.map((o) => o.finishedAt!.getTime() - committed.get(o.machineId)!);
      console.log(`${RATE} approvals/s for ${RATE_SECONDS} s (${n}): approve call ${line(paced.map((a) => a.call))}; started late by up to ${Math.max(...late)} ms`);
      console.log(`  approval -> RUNNING: ${line(lat)}`);
      const c1 = cpu();
      console.log(
        `  CPU per machine: ${WORKER_PROCESS ? `approvals + bench ${per(c0.self, c1.self, n)}, worker ${per(c0.worker, c1.worker, n)}` : `approvals + worker + bench ${per(c0.self, c1.self, n)}`}, PostgreSQL ${per(c0.pg, c1.pg, n)} (wall ${Math.round((Date.now() - p0) / n)} ms per machine)`,
      );
    }
    await worker.stop();
    stopped = true;

    // Raw queue throughput: the same number of no-op jobs, same database and concurrency.
    const noopPool = new PgPool({ connectionString: pg.url, max: CONCURRENCY + 4 });
    noopPool.on("error", () => {});
    noopPool.on("connect", (c) => c.on("error", () => {}));
    const runner = await runJobs({ pgPool: noopPool, concurrency: CONCURRENCY, pollInterval: 1000, taskList: { "bench-noop": async () => {} }, noHandleSignals: true, logger: quietLogger });
    const n0 = Date.now();
    const j0 = cpu();
    await db.$executeRaw`select count(*) from graphile_worker.add_jobs((select array_agg(row('bench-noop', '{}'::json, null, null, 25::smallint, null, 0::smallint, null)::graphile_worker.job_spec) from generate_series(1, ${CONCURRENT * 5}::int)))`;
    for (;;) {
      const [{ n }] = await db.$queryRaw<{ n: bigint }[]>`select count(*) as n from graphile_worker.jobs where task_identifier = 'bench-noop'`;
      if (n === 0n) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const noopPerS = (CONCURRENT * 5) / ((Date.now() - n0) / 1000);
    const j1 = cpu();
    await runner.stop();
    await noopPool.end();
    console.log(`no-op jobs through the same queue: ${noopPerS.toFixed(1)} jobs/s; approval burst / no-op = ${(Number(machinesPerS) / noopPerS).toFixed(3)}`);
    console.log(`  CPU per no-op job: runner + bench ${per(j0.self, j1.self, CONCURRENT * 5)}, PostgreSQL ${per(j0.pg, j1.pg, CONCURRENT * 5)}`);
  } finally {
    if (!stopped) await worker.stop();
    await stopAllWorkers();
    await db.$disconnect();
    await pg.stop();
    fs.rmSync(base, { recursive: true, force: true });
  }
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});

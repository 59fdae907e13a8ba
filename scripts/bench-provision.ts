// Time from approval (the approval transaction committed, jobs enqueued) to RUNNING, with the
// simulator at zero latency and a real worker in this process, in a throw-away embedded
// PostgreSQL. Prints figures; never an assertion. Run:
//   node_modules/.bin/tsx --conditions=react-server scripts/bench-provision.ts [sequential] [burst]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPrisma } from "../lib/db/client";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";
import { startWorker } from "../lib/orchestration/worker";
import { approve, makeEstate } from "../test/orchestration/harness";

const SEQUENTIAL = Number(process.argv[2] ?? 30);
const BURST = Number(process.argv[3] ?? 50);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const line = (xs: number[]) =>
  `mean ${Math.round(xs.reduce((a, b) => a + b, 0) / xs.length)} ms  p50 ${Math.round(pct(xs, 50))} ms  p95 ${Math.round(pct(xs, 95))} ms  max ${Math.round(Math.max(...xs))} ms`;

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
  const worker = await startWorker({ connectionString: pg.url, concurrency: 10, cron: false });
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
  } finally {
    await worker.stop();
    await db.$disconnect();
    await pg.stop();
    fs.rmSync(base, { recursive: true, force: true });
  }
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});

// /api/health's report: database, worker liveness from the heartbeats, and the job queue.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaPg } from "@prisma/adapter-pg";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import type { Db } from "../db/client";
import { PrismaClient } from "../generated/prisma/client";
import { enqueueJob } from "../orchestration/enqueue";
import { checkHealth } from "./check-health";

let t: TestDatabase;
let db: Db;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
});
afterAll(async () => {
  await t?.drop();
});

const beat = (id: string, agoMs: number) =>
  db.$executeRaw`insert into "WorkerProcess" (id, hostname, pid, "startedAt", "heartbeatAt")
                 values (${id}, 'test', 1, now() at time zone 'utc', (now() at time zone 'utc') - make_interval(secs => ${agoMs / 1000}::float8))
                 on conflict (id) do update set "heartbeatAt" = excluded."heartbeatAt"`;

describe("checkHealth", () => {
  // Generous probe timeouts: on a loaded machine the first query of a fresh database may take
  // seconds, and that is not what these tests are about (the last one is).
  it("reports a migrated database with no worker yet, and an empty queue", async () => {
    const h = await checkHealth(db, { heartbeatMs: 1000, timeoutMs: 60_000 });
    expect(h).toEqual({
      ok: true,
      database: "up",
      worker: { live: 0, lastHeartbeatAt: null, lastHeartbeatAgeSeconds: null, staleAfterSeconds: 3 },
      queue: { ready: 0, oldestReadyAgeSeconds: null, running: 0 },
      warnings: ["No worker has ever reported: operations wait in the queue until one runs."],
    });
  });

  it("counts live workers by heartbeat and the jobs ready now, with the age of the oldest", async () => {
    await beat("pool-live", 1000);
    await beat("pool-dead", 600_000);
    const now = Date.now();
    await db.$transaction(async (tx) => {
      await enqueueJob(tx, "health-test", { n: "due-30s" }, { runAt: new Date(now - 30_000), jobKey: "due-30s" });
      await enqueueJob(tx, "health-test", { n: "due-5s-free-queue" }, { runAt: new Date(now - 5_000), queueName: "q-free", jobKey: "due-5s" });
      await enqueueJob(tx, "health-test", { n: "later" }, { runAt: new Date(now + 3600_000), jobKey: "later" });
      await enqueueJob(tx, "health-test", { n: "running" }, { runAt: new Date(now - 60_000), queueName: "q-busy", jobKey: "running" });
      await enqueueJob(tx, "health-test", { n: "behind-running" }, { runAt: new Date(now - 50_000), queueName: "q-busy", jobKey: "behind" });
      await enqueueJob(tx, "health-test", { n: "gave-up" }, { runAt: new Date(now - 90_000), jobKey: "gave-up", maxAttempts: 1 });
    });
    // A worker holds "running" and so its queue; "gave-up" used its only attempt.
    await db.$executeRaw`update graphile_worker._private_jobs set locked_at = now(), locked_by = 'pool-live' where key = 'running'`;
    await db.$executeRaw`update graphile_worker._private_job_queues set locked_at = now(), locked_by = 'pool-live' where queue_name = 'q-busy'`;
    await db.$executeRaw`update graphile_worker._private_jobs set attempts = 1 where key = 'gave-up'`;

    // Stale after 30 s: "pool-live" stays live however slowly this test runs.
    const h = await checkHealth(db, { heartbeatMs: 10_000, timeoutMs: 60_000 });
    expect(h.ok).toBe(true);
    expect(h.warnings).toBeUndefined();
    expect(h.worker!.live).toBe(1);
    expect(h.worker!.lastHeartbeatAgeSeconds).toBeGreaterThanOrEqual(0.9);
    expect(h.worker!.lastHeartbeatAgeSeconds).toBeLessThan(30);
    expect(Math.abs(Date.parse(h.worker!.lastHeartbeatAt!) - (Date.now() - 1000))).toBeLessThan(10_000);
    expect(h.queue!.ready).toBe(2);
    expect(h.queue!.running).toBe(1);
    expect(h.queue!.oldestReadyAgeSeconds).toBeGreaterThanOrEqual(29.9);
    expect(h.queue!.oldestReadyAgeSeconds).toBeLessThan(40);
  });

  it("reports a worker gone silent in plain words, still ready (200)", async () => {
    await beat("pool-live", 45_000);
    const h = await checkHealth(db, { heartbeatMs: 1000, timeoutMs: 60_000 });
    expect(h.ok).toBe(true);
    expect(h.worker!.live).toBe(0);
    expect(h.warnings).toEqual([expect.stringMatching(/^No live worker: the last heartbeat was (4[5-9]|[5-9]\d) s ago\./)]);
  });

  it("answers 'down' quickly when the database does not answer", async () => {
    const nowhere: Db = new PrismaClient({ adapter: new PrismaPg({ connectionString: "postgresql://nobody@127.0.0.1:1/none", connectionTimeoutMillis: 500 }) });
    const t0 = Date.now();
    expect(await checkHealth(nowhere, { timeoutMs: 2000 })).toEqual({ ok: false, database: "down" });
    // Bounded by the probe's own timeout (2 s), not by how long the connection attempt would take.
    expect(Date.now() - t0).toBeLessThan(15_000);
    await nowhere.$disconnect();
  });
});

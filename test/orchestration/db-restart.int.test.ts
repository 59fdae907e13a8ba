// The database restarting under a working worker: a cluster of its own (fixed port, same data
// directory) is stopped in the middle of provisioning and started again; the worker must
// reconnect, finish the interrupted work (one creation per machine) and take new work.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type Db } from "../../lib/db/client";
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from "../../lib/db/embedded";
import { migrate } from "../../lib/db/migrate";
import { allMachinesIn, approve, makeEstate, spawnWorker, stopAllWorkers, waitFor } from "./harness";

let base: string;
let cluster: EmbeddedDatabase;
let port: number;
let db: Db;

const start = () => startEmbeddedPostgres({ dataDir: path.join(base, "data"), port, database: "orq_restart", persistent: true });

beforeAll(async () => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), "orq-restart-"));
  fs.chmodSync(base, 0o755);
  port = await freePort();
  cluster = await start();
  await migrate(cluster.url);
  db = createPrisma(cluster.url);
});

afterAll(async () => {
  await stopAllWorkers();
  await db?.$disconnect().catch(() => {});
  await cluster?.stop().catch(() => {});
  if (base) fs.rmSync(base, { recursive: true, force: true });
});

describe("database restart under the worker", () => {
  // A worker process, a database restart and eight provisions: more than the default minute on
  // a loaded 2-core machine. Every wait ends inside this timeout (test/wait.ts).
  it("reconnects and carries on", { timeout: 120_000 }, async () => {
    const e = await makeEstate(db, { hosts: 4, latencyMs: { provision: 700 } });
    const worker = await spawnWorker(cluster.url);
    const { machineIds } = await approve(db, e, { quantity: 6 });
    await waitFor("provisioning under way", async () => (await db.simMachine.count()) >= 2, { everyMs: 20 });

    const logFrom = fs.statSync(worker.logFile).size;
    await cluster.stop();
    // The database stays down until the worker has noticed (a warning or error in its log:
    // connections lost, operations interrupted), not for a guessed time.
    await waitFor("the worker to notice the database is gone", async () =>
      /"level":(40|50)\b/.test(fs.readFileSync(worker.logFile).subarray(logFrom).toString()) || null,
    );
    expect(worker.child.exitCode).toBeNull();
    cluster = await start();

    await allMachinesIn(db, machineIds, ["RUNNING"]);
    const sims = await db.simMachine.findMany({ where: { idempotencyKey: { in: machineIds } } });
    expect(sims).toHaveLength(6);
    expect(sims.every((s) => s.creations === 1)).toBe(true);

    // And it still takes new work (its LISTEN connection came back too).
    const again = await approve(db, e, { quantity: 2 });
    await allMachinesIn(db, again.machineIds, ["RUNNING"]);
    expect(worker.child.exitCode).toBeNull();
    const hosts = await db.host.findMany({ where: { providerId: e.providerId } });
    expect(hosts.reduce((s, h) => s + h.vcpuUsed, 0)).toBe(2 * 8);
  });
});

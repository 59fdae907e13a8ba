// A worker killed with SIGKILL in the middle of provisioning, then another one started: every
// machine ends RUNNING and the simulator shows exactly one creation per machine (the machine
// id is the driver's idempotency key; the dead worker's job locks are freed by the heartbeat
// recovery instead of graphile-worker's 4-hour lock timeout).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db";
import type { Db } from "../../lib/db/client";
import { allMachinesIn, approve, makeEstate, spawnWorker, stopAllWorkers, waitFor } from "./harness";

let t: TestDatabase;
let db: Db;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
});

afterAll(async () => {
  await stopAllWorkers();
  await t?.drop();
});

describe("worker killed mid-provisioning", () => {
  // Two worker processes started one after the other inside each test: more than the default
  // minute on a loaded 2-core machine. Every wait ends inside this timeout (test/wait.ts).
  it("finishes every machine after a restart, with exactly one creation each", { timeout: 120_000 }, async () => {
    // Each provision takes 2 x 1.5 s in the simulator (create, then boot).
    const e = await makeEstate(db, { hosts: 4, latencyMs: { provision: 1500 } });
    const first = await spawnWorker(t.url);
    const { machineIds, requestId } = await approve(db, e, { quantity: 6 });

    // Kill it once machines exist on the simulator but are still booting.
    await waitFor(
      "machines being created",
      async () => (await db.simMachine.count({ where: { idempotencyKey: { in: machineIds } } })) >= 3,
      { everyMs: 20 },
    );
    await first.kill();
    const midway = await db.machine.findMany({ where: { id: { in: machineIds } }, select: { state: true } });
    expect(midway.some((m) => m.state !== "RUNNING")).toBe(true);
    const lockedByDead = await db.$queryRaw<{ n: number }[]>`
      select count(*)::int as n from graphile_worker._private_jobs where locked_by = ${first.poolId}`;
    expect(lockedByDead[0].n).toBeGreaterThan(0);

    const second = await spawnWorker(t.url);
    try {
      await allMachinesIn(db, machineIds, ["RUNNING"]);
    } finally {
      await second.stop();
    }
    const sims = await db.simMachine.findMany({ where: { idempotencyKey: { in: machineIds } } });
    expect(sims).toHaveLength(machineIds.length);
    expect(sims.every((s) => s.creations === 1 && s.powerState === "RUNNING")).toBe(true);
    const machines = await db.machine.findMany({ where: { id: { in: machineIds } } });
    for (const m of machines) expect(sims.find((s) => s.idempotencyKey === m.id)!.id).toBe(m.externalRef);
    const ops = await db.operation.findMany({ where: { machineId: { in: machineIds } } });
    expect(ops.every((o) => o.status === "SUCCEEDED")).toBe(true);
    expect((await db.request.findUniqueOrThrow({ where: { id: requestId } })).status).toBe("FULFILLED");
    // Capacity reserved exactly once per machine.
    const hosts = await db.host.findMany({ where: { providerId: e.providerId } });
    expect(hosts.reduce((s, h) => s + h.vcpuUsed, 0)).toBe(2 * machineIds.length);
    expect(await db.workerProcess.count({ where: { id: first.poolId } })).toBe(0);
  });

  it("stops cleanly on SIGTERM, leaving nothing locked, and another worker finishes the work", { timeout: 120_000 }, async () => {
    const e = await makeEstate(db, { hosts: 2, latencyMs: { provision: 1500 } });
    const first = await spawnWorker(t.url, { ORQ_SHUTDOWN_GRACE_MS: "1000" });
    const { machineIds } = await approve(db, e, { quantity: 3 });
    await waitFor("machines being created", async () => (await db.simMachine.count({ where: { idempotencyKey: { in: machineIds } } })) >= 1, { everyMs: 20 });
    const t0 = Date.now();
    expect(await first.stop()).toBe(0);
    // Driver calls still running after the grace period were aborted and their jobs released.
    expect(Date.now() - t0).toBeLessThan(15_000);
    const locked = await db.$queryRaw<{ n: number }[]>`
      select count(*)::int as n from graphile_worker._private_jobs where locked_by is not null`;
    expect(locked[0].n).toBe(0);
    expect(await db.workerProcess.count({ where: { id: first.poolId } })).toBe(0);

    const second = await spawnWorker(t.url);
    try {
      await allMachinesIn(db, machineIds, ["RUNNING"]);
    } finally {
      await second.stop();
    }
    const sims = await db.simMachine.findMany({ where: { idempotencyKey: { in: machineIds } } });
    expect(sims.map((s) => s.creations)).toEqual([1, 1, 1]);
  });
});

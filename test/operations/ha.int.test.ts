// HA restart on the simulator with real worker processes: a host stops answering (a network
// partition: its machines keep running there), the host monitor marks it FAILED after
// ORQ_HOST_FAILURE_SECONDS, fences it through the provider, and only then restarts its
// highly-available machines on other hosts within capacity. No machine ever runs twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db";
import type { Db } from "../../lib/db/client";
import { enqueueMonitor } from "../../lib/maintenance/host-monitor";
import { reconcileCounters } from "../../lib/orchestration/reconcile-counters";
import { SimulatorDriver } from "../../lib/drivers/simulator/simulator-driver";
import { allMachinesIn, approve, makeEstate, spawnWorker, stopAllWorkers, waitFor } from "../orchestration/harness";

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

describe("HA restart", () => {
  it("fences a failed host, then restarts its HA machines elsewhere; none runs twice", { timeout: 120_000 }, async () => {
    const e = await makeEstate(db, { hosts: 3, latencyMs: 0 });
    const worker = await spawnWorker(t.url, { ORQ_HOST_MONITOR_MS: "300", ORQ_HOST_FAILURE_SECONDS: "2" });
    const { machineIds } = await approve(db, e, { quantity: 9 });
    await allMachinesIn(db, machineIds, ["RUNNING"]);
    await db.$transaction((tx) => enqueueMonitor(tx));
    await waitFor("heartbeats of every host", async () => (await db.host.count({ where: { providerId: e.providerId, heartbeatAt: { not: null } } })) === 3);

    const victim = (await db.machine.findUniqueOrThrow({ where: { id: machineIds[0] } })).hostId!;
    const onVictim = await db.machine.findMany({ where: { hostId: victim }, orderBy: { name: "asc" } });
    expect(onVictim.length).toBeGreaterThanOrEqual(2);
    const [keepOut, ...ha] = onVictim;
    await db.machine.updateMany({ where: { id: { in: ha.map((m) => m.id) } }, data: { highlyAvailable: true } });
    const host = await db.host.findUniqueOrThrow({ where: { id: victim } });

    // Partitioned: unreachable, machines still running there.
    await db.simHostState.create({ data: { providerId: e.providerId, hostRef: host.externalRef!, down: true, mode: "PARTITION" } });
    const failedAt = Date.now();

    await waitFor("the HA machines to run on other hosts", async () => {
      const ms = await db.machine.findMany({ where: { id: { in: ha.map((m) => m.id) } } });
      return ms.every((m) => m.state === "RUNNING" && m.hostId !== victim) ? ms : null;
    });
    const seconds = (Date.now() - failedAt) / 1000;
    const after = await db.host.findUniqueOrThrow({ where: { id: victim } });
    expect(after.state).toBe("FAILED");
    const incident = await db.hostIncident.findFirstOrThrow({ where: { hostId: victim } });
    expect(incident).toMatchObject({ status: "FENCED", haMachines: ha.length, otherMachines: 1 });
    // Fenced before any restart started.
    const restarts = await db.operation.findMany({ where: { kind: "HA_RESTART" } });
    expect(restarts).toHaveLength(ha.length);
    for (const op of restarts) {
      expect(op.status).toBe("SUCCEEDED");
      expect(op.startedAt!.getTime()).toBeGreaterThanOrEqual(incident.fencedAt!.getTime());
    }
    // The provider fenced it; no copy is left running on it; each machine runs on one host.
    expect(await db.simHostState.findFirstOrThrow({ where: { hostRef: host.externalRef! } })).toMatchObject({ fenced: true });
    const sims = await db.simMachine.findMany({ where: { providerId: e.providerId } });
    expect(sims.filter((s) => s.ghostHost !== null)).toEqual([]);
    for (const m of ha) {
      const now = await db.machine.findUniqueOrThrow({ where: { id: m.id }, include: { host: true } });
      expect(sims.find((s) => s.idempotencyKey === m.id)).toMatchObject({ hostName: now.host!.externalRef, powerState: "RUNNING" });
    }
    // The machine not flagged HA is left on the failed host, marked, and its owner told.
    expect(await db.machine.findUniqueOrThrow({ where: { id: keepOut.id } })).toMatchObject({ hostId: victim, drifted: true });
    expect(await db.notification.count({ where: { userId: keepOut.ownerId, kind: "host.failed" } })).toBeGreaterThan(0);
    // Capacity: counters exact, nothing placed on the failed host.
    expect((await reconcileCounters(db, { repair: false, trigger: "test", correlationId: "ha" })).drift).toEqual([]);
    console.log(`[ha] ${ha.length} HA machines back on other hosts ${seconds.toFixed(1)} s after the failure (threshold 2 s)`);
    await worker.stop();
  });

  it("a restart without fencing would run a partitioned machine twice (what the check above detects)", async () => {
    const e = await makeEstate(db, { hosts: 2, latencyMs: 0 });
    const worker = await spawnWorker(t.url);
    const { machineIds } = await approve(db, e, { quantity: 1 });
    await allMachinesIn(db, machineIds, ["RUNNING"]);
    const sim = await db.simMachine.findFirstOrThrow({ where: { idempotencyKey: machineIds[0] } });
    const other = (await db.host.findMany({ where: { providerId: e.providerId } })).map((h) => h.externalRef!).find((r) => r !== sim.hostName)!;
    await db.simHostState.create({ data: { providerId: e.providerId, hostRef: sim.hostName!, down: true, mode: "PARTITION" } });
    const driver = new SimulatorDriver({ providerId: e.providerId, endpoint: "simulator://test", credentials: {}, config: {} }, db);
    await driver.recoverOn(sim.id, other);
    expect((await db.simMachine.findUniqueOrThrow({ where: { id: sim.id } })).ghostHost).toBe(sim.hostName);
    await worker.stop();
  });
});

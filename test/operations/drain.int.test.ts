// Host drain on the simulator, with real worker processes: a host holding 20 machines is put
// into maintenance and emptied, live where the provider can, within the other hosts' capacity
// at every moment, with the usage counters exact at the end; where live migration is off, the
// owner's stop window decides when a running machine may be stopped and moved.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db";
import type { Db } from "../../lib/db/client";
import { ctxFor } from "../factories";
import { setHostMaintenance } from "../../lib/capacity/set-host-maintenance";
import { reconcileCounters } from "../../lib/orchestration/reconcile-counters";
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

/** Hosts whose usage is past total x ratio (must stay empty at every moment). */
async function overcommitted(db: Db) {
  return db.$queryRaw<{ name: string }[]>`
    select h.name from "Host" h join "Provider" p on p.id = h."providerId"
    where h."vcpuUsed" > floor(h."vcpuTotal" * p."cpuOvercommit") or h."memoryMbUsed" > floor(h."memoryMbTotal" * p."memoryOvercommit")
       or h."diskSsdGbUsed" > floor(h."diskSsdGbTotal" * p."diskOvercommit")`;
}

describe("host drain", () => {
  it("empties a host of 20 machines without ever overcommitting another, counters exact", { timeout: 150_000 }, async () => {
    // Memory is the limit: 4 GiB machines, the source holds 20, two targets of 40 GiB hold 10 each.
    const e = await makeEstate(db, { hosts: 1, vcpuTotal: 64, memoryMbTotal: 20 * 4096, diskSsdGbTotal: 2000, latencyMs: { migrate: 150, default: 0 } });
    const source = e.hostIds[0];
    const worker = await spawnWorker(t.url, { ORQ_DRAIN_TICK_MS: "300" });
    const { machineIds } = await approve(db, e, { quantity: 20 });
    await allMachinesIn(db, machineIds, ["RUNNING"]);
    // Five are stopped: they move offline, the others live.
    const admin = await ctxFor(db, e.approverId);
    for (const id of machineIds.slice(0, 5)) await db.machine.update({ where: { id }, data: { state: "STOPPED", version: { increment: 1 } } });
    const targets: { id: string }[] = [];
    for (const name of ["target-a", "target-b"]) {
      targets.push(await db.host.create({ data: { providerId: e.providerId, name, externalRef: name, vcpuTotal: 64, memoryMbTotal: 10 * 4096, diskSsdGbTotal: 1000 } }));
    }

    const started = Date.now();
    const r = await setHostMaintenance(admin, { hostId: source, maintenance: true, reason: "firmware update" });
    expect(r.drainId).toBeTruthy();
    let samples = 0;
    const drain = await waitFor(
      "the drain to complete",
      async () => {
        samples++;
        expect(await overcommitted(db)).toEqual([]);
        const d = await db.hostDrain.findUniqueOrThrow({ where: { id: r.drainId! } });
        return d.status === "COMPLETED" ? d : null;
      },
      { everyMs: 50 },
    );
    const seconds = (Date.now() - started) / 1000;

    expect(await db.machine.count({ where: { hostId: source, state: { not: "DELETED" } } })).toBe(0);
    const machines = await db.machine.findMany({ where: { id: { in: machineIds } }, include: { host: true } });
    expect(machines.map((m) => m.state).sort()).toEqual([...Array(15).fill("RUNNING"), ...Array(5).fill("STOPPED")]);
    // Exactly full: 10 and 10.
    expect(machines.filter((m) => m.hostId === targets[0].id)).toHaveLength(10);
    expect(machines.filter((m) => m.hostId === targets[1].id)).toHaveLength(10);
    // The simulator agrees on where each machine is.
    const sims = await db.simMachine.findMany({ where: { providerId: e.providerId } });
    for (const m of machines) expect(sims.find((s) => s.idempotencyKey === m.id)?.hostName).toBe(m.host!.externalRef);
    expect(drain).toMatchObject({ movedLive: 15, movedCold: 5, failedMoves: 0, machinesAtStart: 20 });
    const ops = await db.operation.findMany({ where: { kind: "MIGRATE", machineId: { in: machineIds } } });
    expect(ops).toHaveLength(20);
    expect(ops.every((o) => o.status === "SUCCEEDED")).toBe(true);
    // No moment with more than ORQ_DRAIN_PARALLEL (4) moves at once.
    const spans = ops.map((o) => [o.startedAt!.getTime(), o.finishedAt!.getTime()] as const);
    const peak = Math.max(...spans.map(([s]) => spans.filter(([a, b]) => a <= s && s < b).length));
    expect(peak).toBeLessThanOrEqual(4);
    const counters = await reconcileCounters(db, { repair: false, trigger: "test", correlationId: "drain-test" });
    expect(counters.drift).toEqual([]);
    // Placement now skips the host in maintenance.
    const more = await approve(db, e, { quantity: 1 });
    await allMachinesIn(db, more.machineIds, ["FAILED"]);
    expect((await db.machine.findUniqueOrThrow({ where: { id: more.machineIds[0] } })).failureCode).toBe("NO_CAPACITY");
    console.log(`[drain] 20 machines in ${seconds.toFixed(1)} s: ${drain.movedLive} live, ${drain.movedCold} offline/cold, peak ${peak} at once, ${samples} capacity samples`);
    await worker.stop();
  });

  it("without live migration, stops and moves a running machine only inside its owner's stop window", { timeout: 120_000 }, async () => {
    const e = await makeEstate(db, { hosts: 2, latencyMs: 0 });
    await db.provider.update({ where: { id: e.providerId }, data: { config: { latencyMs: 0, liveMigrate: false } } });
    const worker = await spawnWorker(t.url, { ORQ_DRAIN_TICK_MS: "300" });
    const { machineIds } = await approve(db, e, { quantity: 2 });
    await allMachinesIn(db, machineIds, ["RUNNING"]);
    const all = await db.machine.findMany({ where: { id: { in: machineIds } } });
    // Both onto host 0 (spread placed them apart): move the second by hand in the database.
    const [a, b] = all;
    const source = a.hostId!;
    const other = e.hostIds.find((h) => h !== source)!;
    if (b.hostId !== source) {
      await db.$transaction(async (tx) => {
        await tx.machine.update({ where: { id: b.id }, data: { hostId: source } });
        await tx.host.update({ where: { id: other }, data: { vcpuUsed: { decrement: b.vcpu }, memoryMbUsed: { decrement: b.memoryMb }, diskSsdGbUsed: { decrement: b.diskGb } } });
        await tx.host.update({ where: { id: source }, data: { vcpuUsed: { increment: b.vcpu }, memoryMbUsed: { increment: b.memoryMb }, diskSsdGbUsed: { increment: b.diskGb } } });
      });
      const hostRef = (await db.host.findUniqueOrThrow({ where: { id: source } })).externalRef;
      await db.simMachine.updateMany({ where: { idempotencyKey: b.id }, data: { hostName: hostRef } });
    }
    // a: may be stopped any time; b: only in a window that is closed now (it opened 12 hours ago for an hour).
    const closedHour = (new Date().getUTCHours() + 12) % 24;
    await db.machine.update({ where: { id: b.id }, data: { stopWindowCron: `0 ${closedHour} * * *`, stopWindowMinutes: 60 } });

    const admin = await ctxFor(db, e.approverId);
    const { drainId } = await setHostMaintenance(admin, { hostId: source, maintenance: true });
    await waitFor("a to be moved cold", async () => (await db.machine.findUniqueOrThrow({ where: { id: a.id } })).hostId === other);
    const blocked = await waitFor("b to be reported outside its stop window", async () => {
      const d = await db.hostDrain.findUniqueOrThrow({ where: { id: drainId! } });
      const list = d.blocked as { machineId: string; reason: string; until?: string }[];
      return list.find((x) => x.machineId === b.id && x.reason === "stopWindow") ?? null;
    });
    expect(new Date(blocked.until!).getUTCHours()).toBe(closedHour);
    expect((await db.machine.findUniqueOrThrow({ where: { id: b.id } })).state).toBe("RUNNING");
    expect(await db.operation.count({ where: { machineId: b.id, kind: "MIGRATE" } })).toBe(0);
    const aMove = await db.operation.findFirstOrThrow({ where: { machineId: a.id, kind: "MIGRATE" } });
    expect(aMove.result).toMatchObject({ mode: "cold" });
    expect((await db.machine.findUniqueOrThrow({ where: { id: a.id } })).state).toBe("RUNNING");
    // The owner opens the window now: b moves, and the drain completes.
    await db.machine.update({ where: { id: b.id }, data: { stopWindowCron: "* * * * *", stopWindowMinutes: 5 } });
    await waitFor("the drain to complete", async () => (await db.hostDrain.findUniqueOrThrow({ where: { id: drainId! } })).status === "COMPLETED");
    expect((await db.machine.findUniqueOrThrow({ where: { id: b.id } })).hostId).toBe(other);
    expect((await reconcileCounters(db, { repair: false, trigger: "test", correlationId: "drain-test-2" })).drift).toEqual([]);
    await worker.stop();
  });
});

// A machine's whole life through a real worker process: provision (placement, anti-affinity),
// stop, start, reboot, snapshots, resize (in place and across hosts), delete, and leases with
// a moved clock. Day-2 operations are created with the shared helper the web side uses.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db";
import type { Db } from "../../lib/db/client";
import type { OperationKind } from "../../lib/generated/prisma/enums";
import { createOperation } from "../../lib/orchestration/create-operation";
import { enqueueJob } from "../../lib/orchestration/enqueue";
import { LEASE_SWEEP_TASK } from "../../lib/orchestration/worker";
import { makeOffering } from "../factories";
import { allMachinesIn, approve, makeEstate, spawnWorker, stopAllWorkers, waitFor } from "./harness";

let t: TestDatabase;
let db: Db;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  await spawnWorker(t.url);
});

afterAll(async () => {
  await stopAllWorkers();
  await t?.drop();
});

async function operate(machineId: string, kind: OperationKind, params: Record<string, string> = {}) {
  const op = await db.$transaction(async (tx) => {
    const m = await tx.machine.findUniqueOrThrow({ where: { id: machineId } });
    return createOperation(tx, m, { kind, params });
  });
  return waitFor(`${kind} to finish`, async () => {
    const o = await db.operation.findUniqueOrThrow({ where: { id: op.id } });
    return ["SUCCEEDED", "FAILED", "CANCELLED"].includes(o.status) ? o : null;
  });
}

const hostUsage = async (id: string) => db.host.findUniqueOrThrow({ where: { id }, select: { vcpuUsed: true, memoryMbUsed: true, diskSsdGbUsed: true } });

describe("machine lifecycle with a real worker", () => {
  it("provisions a request's machines on different hosts and settles the request", async () => {
    const e = await makeEstate(db, { hosts: 3 });
    const { requestId, machineIds } = await approve(db, e, { quantity: 3 });
    await allMachinesIn(db, machineIds, ["RUNNING"]);
    const machines = await db.machine.findMany({ where: { id: { in: machineIds } } });
    expect(new Set(machines.map((m) => m.hostId)).size).toBe(3); // anti-affinity
    for (const m of machines) {
      expect(m.externalRef).toBeTruthy();
      expect(m.providerId).toBe(e.providerId);
      expect(m.ipAddress).toMatch(/^10\./);
    }
    const ops = await db.operation.findMany({ where: { machineId: { in: machineIds } } });
    expect(ops.every((o) => o.status === "SUCCEEDED" && o.progress === 100 && o.attempts === 1 && o.finishedAt)).toBe(true);
    expect((await db.request.findUniqueOrThrow({ where: { id: requestId } })).status).toBe("FULFILLED");
    expect(await db.notification.count({ where: { userId: e.ownerId, kind: "machine.ready" } })).toBe(3);
    for (const h of e.hostIds) expect(await hostUsage(h)).toEqual({ vcpuUsed: 2, memoryMbUsed: 4096, diskSsdGbUsed: 50 });
  });

  it("stops, starts, reboots and snapshots a machine, then deletes it and gives everything back", async () => {
    const e = await makeEstate(db, { hosts: 1 });
    const { machineIds } = await approve(db, e);
    const [id] = machineIds;
    await allMachinesIn(db, machineIds, ["RUNNING"]);
    const sim = async () => db.simMachine.findFirstOrThrow({ where: { idempotencyKey: id } });

    expect((await operate(id, "STOP")).status).toBe("SUCCEEDED");
    expect((await db.machine.findUniqueOrThrow({ where: { id } })).state).toBe("STOPPED");
    expect((await sim()).powerState).toBe("STOPPED");

    expect((await operate(id, "START")).status).toBe("SUCCEEDED");
    expect((await db.machine.findUniqueOrThrow({ where: { id } })).state).toBe("RUNNING");
    expect((await operate(id, "REBOOT")).status).toBe("SUCCEEDED");

    expect((await operate(id, "SNAPSHOT_CREATE", { name: "before-upgrade" })).status).toBe("SUCCEEDED");
    const snap = await db.snapshot.findFirstOrThrow({ where: { machineId: id, name: "before-upgrade" } });
    expect(await db.simSnapshot.count({ where: { id: snap.externalRef! } })).toBe(1);
    expect((await operate(id, "SNAPSHOT_REVERT", { snapshotId: snap.id })).status).toBe("SUCCEEDED");
    expect((await operate(id, "SNAPSHOT_DELETE", { snapshotId: snap.id })).status).toBe("SUCCEEDED");
    expect(await db.snapshot.count({ where: { machineId: id } })).toBe(0);
    expect(await db.simSnapshot.count()).toBe(0);

    const before = await db.project.findUniqueOrThrow({ where: { id: e.projectId } });
    expect(before.usedVcpu).toBe(2);
    const del = await operate(id, "DELETE");
    expect(del.status).toBe("SUCCEEDED");
    const gone = await db.machine.findUniqueOrThrow({ where: { id } });
    expect(gone.state).toBe("DELETED");
    expect(gone.deletedAt).toBeTruthy();
    expect(gone.releasedAt).toBeTruthy();
    expect(await db.simMachine.count({ where: { idempotencyKey: id } })).toBe(0);
    const after = await db.project.findUniqueOrThrow({ where: { id: e.projectId } });
    expect([after.usedVcpu, after.usedMemoryMb, after.usedDiskSsdGb, after.usedMachines, after.usedMonthlyCents]).toEqual([0, 0, 0, 0, 0]);
    expect(await hostUsage(e.hostIds[0])).toEqual({ vcpuUsed: 0, memoryMbUsed: 0, diskSsdGbUsed: 0 });
  });

  it("resizes in place when the host has room, and moves to another host when it has not", async () => {
    // Hosts of 8 cores x 4 = 32 vCPU and 16 GiB: a 2 vCPU/4 GiB machine grows to 4 vCPU/12 GiB.
    const e = await makeEstate(db, { hosts: 2, vcpuTotal: 8, memoryMbTotal: 16384 });
    const medium = await makeOffering(db, { vcpu: 4, memoryMb: 8192, diskGb: 50, monthlyPriceCents: 2000 });
    const large = await makeOffering(db, { vcpu: 4, memoryMb: 20480, diskGb: 80, monthlyPriceCents: 3000 });
    const a = await approve(db, e);
    await allMachinesIn(db, a.machineIds, ["RUNNING"]);
    const b = await approve(db, e);
    await allMachinesIn(db, b.machineIds, ["RUNNING"]);
    const [ma, mb] = await Promise.all([a, b].map((x) => db.machine.findUniqueOrThrow({ where: { id: x.machineIds[0] } })));
    expect(ma.hostId).not.toBe(mb.hostId);

    // In place: 4 GiB + 8 GiB fits a 16 GiB host.
    const r1 = await operate(ma.id, "RESIZE", { offeringId: medium.id });
    expect(r1.status).toBe("SUCCEEDED");
    const ma1 = await db.machine.findUniqueOrThrow({ where: { id: ma.id } });
    expect([ma1.state, ma1.offeringId, ma1.hostId]).toEqual(["RUNNING", medium.id, ma.hostId]);
    expect(await hostUsage(ma.hostId!)).toEqual({ vcpuUsed: 4, memoryMbUsed: 8192, diskSsdGbUsed: 50 });

    // 20 GiB fits neither 16 GiB host: b moves to a third, larger host.
    const spare = await db.host.create({
      data: { providerId: e.providerId, name: `spare-${ma.id.slice(0, 6)}`, externalRef: "spare", vcpuTotal: 8, memoryMbTotal: 32768, diskSsdGbTotal: 2000 },
    });
    await operate(mb.id, "STOP");
    const r2 = await operate(mb.id, "RESIZE", { offeringId: large.id });
    expect(r2.status, r2.error ?? "").toBe("SUCCEEDED");
    const mb2 = await db.machine.findUniqueOrThrow({ where: { id: mb.id } });
    expect([mb2.state, mb2.offeringId, mb2.hostId]).toEqual(["STOPPED", large.id, spare.id]);
    expect(await hostUsage(mb.hostId!)).toEqual({ vcpuUsed: 0, memoryMbUsed: 0, diskSsdGbUsed: 0 });
    expect(await hostUsage(spare.id)).toEqual({ vcpuUsed: 4, memoryMbUsed: 20480, diskSsdGbUsed: 80 });
    const sim = await db.simMachine.findFirstOrThrow({ where: { idempotencyKey: mb.id } });
    expect([sim.vcpu, sim.memoryMb, sim.diskGb, sim.hostName]).toEqual([4, 20480, 80, "spare"]);
    const p = await db.project.findUniqueOrThrow({ where: { id: e.projectId } });
    expect([p.usedVcpu, p.usedMemoryMb, p.usedDiskSsdGb, p.usedMonthlyCents]).toEqual([8, 8192 + 20480, 130, 5000]);

    // No room anywhere: the resize fails, the machine goes back, nothing stays reserved.
    const huge = await makeOffering(db, { vcpu: 4, memoryMb: 65536, diskGb: 80 });
    const r3 = await operate(mb.id, "RESIZE", { offeringId: huge.id });
    expect(r3.status).toBe("FAILED");
    expect(r3.errorCode).toBe("NO_CAPACITY");
    expect((await db.machine.findUniqueOrThrow({ where: { id: mb.id } })).state).toBe("STOPPED");
    expect(await hostUsage(spare.id)).toEqual({ vcpuUsed: 4, memoryMbUsed: 20480, diskSsdGbUsed: 80 });
    expect((await db.project.findUniqueOrThrow({ where: { id: e.projectId } })).usedMemoryMb).toBe(8192 + 20480);
  });

  it("handles leases with a controllable clock: reminder, stop at expiry, delete after the grace period", async () => {
    const e = await makeEstate(db, { hosts: 1, leaseGraceDays: 3 });
    const leaseEndsAt = new Date(Date.now() + 30 * 24 * 3600_000);
    const { machineIds } = await approve(db, e, { leaseEndsAt });
    const [id] = machineIds;
    await allMachinesIn(db, machineIds, ["RUNNING"]);
    const day = 24 * 3600_000;
    const sweepAt = async (at: Date) => {
      // One queue: the sweeps run in the order they were asked for.
      await db.$transaction((tx) => enqueueJob(tx, LEASE_SWEEP_TASK, { now: at.toISOString() }, { queueName: `lease-test-${id}` }));
    };
    const count = (kind: string) => db.notification.count({ where: { userId: e.ownerId, kind } });

    await sweepAt(new Date(leaseEndsAt.getTime() - 10 * day)); // too early: nothing
    await sweepAt(new Date(leaseEndsAt.getTime() - 6 * day)); // reminder
    await waitFor("lease reminder", async () => (await count("lease.expiring")) === 1);
    await sweepAt(new Date(leaseEndsAt.getTime() - 5 * day)); // not twice
    await sweepAt(new Date(leaseEndsAt.getTime() + 1000)); // expired: stop + notice
    await allMachinesIn(db, machineIds, ["STOPPED"]);
    expect(await count("lease.expiring")).toBe(1);
    expect(await count("lease.expired")).toBe(1);
    const stop = await db.operation.findFirstOrThrow({ where: { machineId: id, kind: "STOP" } });
    expect(stop.status).toBe("SUCCEEDED");
    expect(stop.params).toMatchObject({ reason: "lease.expired", fromState: "RUNNING" });

    await sweepAt(new Date(leaseEndsAt.getTime() + 2 * day)); // within grace: stays stopped
    await sweepAt(new Date(leaseEndsAt.getTime() + 3 * day + 1000)); // grace over: deleted
    await allMachinesIn(db, machineIds, ["DELETED"]);
    expect(await count("lease.expired")).toBe(1);
    expect(await db.operation.count({ where: { machineId: id, kind: "STOP" } })).toBe(1);
    expect((await db.project.findUniqueOrThrow({ where: { id: e.projectId } })).usedMachines).toBe(0);
  });
});

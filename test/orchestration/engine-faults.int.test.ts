// The failure paths of the engine (issue "Engine that never leaks"), through a real worker
// process and PostgreSQL: reservations stored on machines, faults that strike after the side
// effect (created then timed out, deleted then failed), strict order of a machine's
// operations across retries, snapshots that are not repeated, and the reconcile passes that
// remove leftovers, adopt lost references and repair counters.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "../db";
import type { Db } from "../../lib/db/client";
import type { OperationKind } from "../../lib/generated/prisma/enums";
import { createOperation } from "../../lib/orchestration/create-operation";
import { reconcileCounters } from "../../lib/orchestration/reconcile-counters";
import { installationId } from "../../lib/installation/installation-id";
import { syncProviderInventory } from "../../lib/providers/sync-inventory";
import { backoffSchedule, retryPolicyFromEnv } from "../../lib/orchestration/backoff";
import { retryPolicyFor } from "../../lib/orchestration/run-operation";
import { allMachinesIn, approve, makeEstate, spawnWorker, stopAllWorkers, waitFor, type Estate } from "./harness";

let t: TestDatabase;
let db: Db;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  await spawnWorker(t.url, { ORQ_OPERATION_TIMEOUT_MS: "1500", ORQ_RETRY_BASE_MS: "200", ORQ_RETRY_MAX_MS: "1000", ORQ_RETRY_JITTER: "0" });
});

afterAll(async () => {
  await stopAllWorkers();
  await t?.drop();
});

const TERMINAL = ["SUCCEEDED", "FAILED", "CANCELLED"];

async function request(machineId: string, kind: OperationKind, params: Record<string, unknown> = {}) {
  return db.$transaction(async (tx) => {
    const m = await tx.machine.findUniqueOrThrow({ where: { id: machineId } });
    return createOperation(tx, m, { kind, params });
  });
}

const finished = (id: string) =>
  waitFor(`operation ${id} to finish`, async () => {
    const o = await db.operation.findUniqueOrThrow({ where: { id } });
    return TERMINAL.includes(o.status) ? o : null;
  });

const allOpsDone = (machineId: string) =>
  waitFor(`operations of ${machineId} to finish`, async () => {
    const ops = await db.operation.findMany({ where: { machineId }, orderBy: { seq: "asc" } });
    return ops.every((o) => TERMINAL.includes(o.status)) ? ops : null;
  });

const fault = (e: Estate, operation: string, mode: string, remaining: number | null, message = `injected ${mode}`) =>
  db.simFault.create({ data: { providerId: e.providerId, operation, mode, remaining, message } });

const usage = async (e: Estate) => {
  const p = await db.project.findUniqueOrThrow({ where: { id: e.projectId } });
  const hosts = await db.host.findMany({ where: { providerId: e.providerId } });
  return { vcpu: p.usedVcpu, machines: p.usedMachines, cents: p.usedMonthlyCents, hostVcpu: hosts.reduce((n, h) => n + h.vcpuUsed, 0) };
};

const simCount = (e: Estate) => db.simMachine.count({ where: { providerId: e.providerId } });

describe("exact reservations", () => {
  it("releases what a machine reserved, not what its offering says after an edit", async () => {
    const e = await makeEstate(db, { hosts: 1, offering: { vcpu: 2, monthlyPriceCents: 1000 } });
    const { machineIds } = await approve(db, e, { quantity: 2 });
    await allMachinesIn(db, machineIds, ["RUNNING"]);
    expect(await usage(e)).toEqual({ vcpu: 4, machines: 2, cents: 2000, hostVcpu: 4 });
    // An administrator doubles the offering: running machines keep what they reserved.
    await db.offering.update({ where: { id: e.offeringId }, data: { vcpu: 4, monthlyPriceCents: 5000 } });
    const del = await request(machineIds[0], "DELETE");
    expect((await finished(del.id)).status).toBe("SUCCEEDED");
    expect(await usage(e)).toEqual({ vcpu: 2, machines: 1, cents: 1000, hostVcpu: 2 });
    const survivor = await db.machine.findUniqueOrThrow({ where: { id: machineIds[1] } });
    expect([survivor.vcpu, survivor.monthlyCents]).toEqual([2, 1000]);
    expect((await reconcileCounters(db, { repair: false, trigger: "test", correlationId: randomUUID() })).drift.filter((d) => d.id === e.projectId)).toEqual([]);
  });

  it("resizes to the size promised at request time and releases exactly that later", async () => {
    const e = await makeEstate(db, { hosts: 1, offering: { vcpu: 2, monthlyPriceCents: 1000 } });
    const { machineIds } = await approve(db, e);
    await allMachinesIn(db, machineIds, ["RUNNING"]);
    const big = await db.offering.create({ data: { name: `big-${randomUUID().slice(0, 6)}`, vcpu: 4, memoryMb: 8192, diskGb: 50, diskTier: "SSD", monthlyPriceCents: 3000 } });
    const op = await request(machineIds[0], "RESIZE", { offeringId: big.id, to: { vcpu: 4, memoryMb: 8192, diskGb: 50, diskTier: "SSD", monthlyCents: 3000 } });
    expect((await finished(op.id)).status).toBe("SUCCEEDED");
    expect(await usage(e)).toEqual({ vcpu: 4, machines: 1, cents: 3000, hostVcpu: 4 });
    await db.offering.update({ where: { id: big.id }, data: { vcpu: 16 } });
    const del = await request(machineIds[0], "DELETE");
    expect((await finished(del.id)).status).toBe("SUCCEEDED");
    expect(await usage(e)).toEqual({ vcpu: 0, machines: 0, cents: 0, hostVcpu: 0 });
  });
});

describe("faults after the side effect", () => {
  it("a provision that created the machine then timed out for good leaves nothing behind", async () => {
    const e = await makeEstate(db, { hosts: 1 });
    await db.provider.update({ where: { id: e.providerId }, data: { retryMaxAttempts: 2 } });
    await fault(e, "provision", "AFTER_HANG", null);
    const { machineIds } = await approve(db, e);
    const [id] = machineIds;
    await allMachinesIn(db, machineIds, ["FAILED"]);
    const prov = await db.operation.findFirstOrThrow({ where: { machineId: id, kind: "PROVISION" } });
    expect([prov.status, prov.errorCode, prov.attempts]).toEqual(["FAILED", "DRIVER_TIMEOUT", 2]);
    // The machine existed on the provider; the CLEANUP queued by the failure removes it.
    const ops = await allOpsDone(id);
    expect(ops.map((o) => [o.kind, o.status])).toEqual([
      ["PROVISION", "FAILED"],
      ["CLEANUP", "SUCCEEDED"],
    ]);
    expect((ops[1].result as { removed: string | null }).removed).toBeTruthy();
    expect(await simCount(e)).toBe(0);
    expect(await usage(e)).toEqual({ vcpu: 0, machines: 0, cents: 0, hostVcpu: 0 });
  });

  it("deleting a machine whose provider reference was lost removes its resource by ownership tag", async () => {
    const e = await makeEstate(db, { hosts: 1 });
    const { machineIds } = await approve(db, e);
    const [id] = machineIds;
    await allMachinesIn(db, machineIds, ["RUNNING"]);
    // The provider created it, the database write of its reference was lost.
    await db.machine.update({ where: { id }, data: { externalRef: null } });
    const del = await request(id, "DELETE");
    const done = await finished(del.id);
    expect(done.status).toBe("SUCCEEDED");
    expect((done.result as { removed: string | null }).removed).toBeTruthy();
    expect(await simCount(e)).toBe(0);
  });

  it("a delete that removed the machine and then failed is retried to a clean end", async () => {
    const e = await makeEstate(db, { hosts: 1 });
    const { machineIds } = await approve(db, e);
    const [id] = machineIds;
    await allMachinesIn(db, machineIds, ["RUNNING"]);
    await fault(e, "destroy", "AFTER_TRANSIENT", 1);
    const del = await request(id, "DELETE");
    const done = await finished(del.id);
    expect([done.status, done.attempts]).toEqual(["SUCCEEDED", 2]);
    expect((await db.machine.findUniqueOrThrow({ where: { id } })).state).toBe("DELETED");
    expect(await simCount(e)).toBe(0);
    expect(await usage(e)).toEqual({ vcpu: 0, machines: 0, cents: 0, hostVcpu: 0 });
  });

  it("a snapshot taken and then timed out is not taken twice", async () => {
    const e = await makeEstate(db, { hosts: 1 });
    const { machineIds } = await approve(db, e);
    const [id] = machineIds;
    await allMachinesIn(db, machineIds, ["RUNNING"]);
    await fault(e, "snapshot", "AFTER_HANG", 1);
    const op = await request(id, "SNAPSHOT_CREATE", { name: "nightly" });
    const done = await finished(op.id);
    expect([done.status, done.attempts]).toEqual(["SUCCEEDED", 2]);
    const sim = await db.simMachine.findFirstOrThrow({ where: { idempotencyKey: id } });
    expect(await db.simSnapshot.count({ where: { machineId: sim.id } })).toBe(1);
    expect(await db.snapshot.count({ where: { machineId: id } })).toBe(1);
  });
});

describe("order of a machine's operations", () => {
  it("runs an operation requested during another's retry only after it, and a snapshot before a stop requested after it", async () => {
    const e = await makeEstate(db, { hosts: 1 });
    const { machineIds } = await approve(db, e);
    const [id] = machineIds;
    await allMachinesIn(db, machineIds, ["RUNNING"]);
    // The snapshot fails twice (retried after 200 ms, then 400 ms); the stop is requested
    // while it waits, so the machine is STOPPING when the snapshot finally runs.
    await fault(e, "snapshot", "TRANSIENT", 2, "hypervisor busy");
    const snap = await request(id, "SNAPSHOT_CREATE", { name: "before-stop" });
    await waitFor("the snapshot to wait for a retry", async () => {
      const o = await db.operation.findUniqueOrThrow({ where: { id: snap.id } });
      return o.status === "QUEUED" && o.nextAttemptAt ? o : null;
    });
    const stop = await request(id, "STOP");
    const [s, p] = await allOpsDone(id).then((ops) => [ops.find((o) => o.id === snap.id)!, ops.find((o) => o.id === stop.id)!]);
    expect([s.status, s.attempts]).toEqual(["SUCCEEDED", 3]);
    expect(p.status).toBe("SUCCEEDED");
    expect(p.startedAt!.getTime()).toBeGreaterThanOrEqual(s.finishedAt!.getTime());
    expect((await db.machine.findUniqueOrThrow({ where: { id } })).state).toBe("STOPPED");
  });

  it("a delete requested while a start waits for its retry cancels the start and runs after it, never before", async () => {
    const e = await makeEstate(db, { hosts: 1 });
    const { machineIds } = await approve(db, e);
    const [id] = machineIds;
    await allMachinesIn(db, machineIds, ["RUNNING"]);
    expect((await finished((await request(id, "STOP")).id)).status).toBe("SUCCEEDED");
    await fault(e, "start", "TRANSIENT", null, "host unreachable");
    const start = await request(id, "START");
    await waitFor("the start to wait for a retry", async () => {
      const o = await db.operation.findUniqueOrThrow({ where: { id: start.id } });
      return o.status === "QUEUED" && o.nextAttemptAt ? o : null;
    });
    const del = await request(id, "DELETE");
    const ops = await allOpsDone(id);
    const s = ops.find((o) => o.id === start.id)!;
    const d = ops.find((o) => o.id === del.id)!;
    expect([s.status, s.errorCode]).toEqual(["CANCELLED", "CANCELLED"]);
    expect(d.status).toBe("SUCCEEDED");
    expect((await db.machine.findUniqueOrThrow({ where: { id } })).state).toBe("DELETED");
    expect(await usage(e)).toEqual({ vcpu: 0, machines: 0, cents: 0, hostVcpu: 0 });
  });
});

describe("retry policy", () => {
  it("rides out several minutes of provider outage by default, and follows the provider's own policy", () => {
    const base = retryPolicyFromEnv({});
    const policy = retryPolicyFor(base, { retryMaxAttempts: 10, retryMaxDelaySeconds: 60 }, {});
    const horizonMs = backoffSchedule(policy).reduce((a, b) => a + b, 0);
    expect(policy.maxAttempts).toBe(10);
    expect(horizonMs).toBeGreaterThanOrEqual(4 * 60_000);
    // The worker's environment wins (operators, tests).
    expect(retryPolicyFor(base, { retryMaxAttempts: 10, retryMaxDelaySeconds: 60 }, { ORQ_OPERATION_MAX_ATTEMPTS: "3" }).maxAttempts).toBe(base.maxAttempts);
  });

  it("gives up after the provider's attempts", async () => {
    const e = await makeEstate(db, { hosts: 1 });
    await db.provider.update({ where: { id: e.providerId }, data: { retryMaxAttempts: 3 } });
    await fault(e, "provision", "TRANSIENT", null, "vCenter restarting");
    const { machineIds } = await approve(db, e);
    await allMachinesIn(db, machineIds, ["FAILED"]);
    const prov = await db.operation.findFirstOrThrow({ where: { machineId: machineIds[0], kind: "PROVISION" } });
    expect([prov.attempts, prov.errorCode]).toEqual([3, "DRIVER_UNAVAILABLE"]);
    expect(prov.error).toContain("gave up after 3 attempts");
  });
});

describe("reconcile", () => {
  it("removes the resource of a deleted machine, adopts a lost reference, leaves other installations alone", async () => {
    const e = await makeEstate(db, { hosts: 1 });
    const { machineIds } = await approve(db, e, { quantity: 2 });
    await allMachinesIn(db, machineIds, ["RUNNING"]);
    const [gone, lost] = machineIds;
    // `gone` was deleted in the database but its VM stayed (an older release's bug).
    await db.machine.update({ where: { id: gone }, data: { state: "DELETED", deletedAt: new Date(), releasedAt: new Date() } });
    // `lost` runs but its provider reference was never written.
    const lostRef = (await db.machine.findUniqueOrThrow({ where: { id: lost } })).externalRef;
    await db.machine.update({ where: { id: lost }, data: { externalRef: null } });
    // A machine made by another Orquestra sharing the provider.
    await db.simMachine.create({
      data: { providerId: e.providerId, idempotencyKey: randomUUID(), installationId: randomUUID(), name: "theirs", powerState: "RUNNING", vcpu: 1, memoryMb: 512, diskGb: 10 },
    });
    const r = await syncProviderInventory(db, e.providerId, new Date(), { trigger: "test" });
    if (!r.ok) throw new Error(r.message);
    expect(r.reconcile.map((f) => [f.machineId, f.action, f.done]).sort()).toEqual(
      [
        [gone, "destroy", true],
        [lost, "adopt", true],
      ].sort(),
    );
    expect(await db.simMachine.count({ where: { idempotencyKey: gone } })).toBe(0);
    expect((await db.machine.findUniqueOrThrow({ where: { id: lost } })).externalRef).toBe(lostRef);
    expect(await db.simMachine.count({ where: { name: "theirs" } })).toBe(1);
    expect(await db.unmanagedMachine.count({ where: { providerId: e.providerId, name: "theirs" } })).toBe(1);
    const run = await db.reconcileRun.findFirstOrThrow({ where: { providerId: e.providerId }, orderBy: { startedAt: "desc" } });
    expect([run.outcome, run.repaired]).toEqual(["drift", 2]);
    expect(await db.auditEvent.count({ where: { action: "provider.reconcile", targetId: e.providerId } })).toBe(1);
    // Level-triggered: the next pass finds nothing.
    const again = await syncProviderInventory(db, e.providerId, new Date(), { trigger: "test" });
    expect(again.ok && again.reconcile).toEqual([]);
  });

  it("queues a cleanup, in the machine's order, for a copy on another provider", async () => {
    const e = await makeEstate(db, { hosts: 1 });
    const other = await makeEstate(db, { hosts: 1 });
    const { machineIds } = await approve(db, e);
    const [id] = machineIds;
    await allMachinesIn(db, machineIds, ["RUNNING"]);
    await db.simMachine.create({
      data: { providerId: other.providerId, idempotencyKey: id, installationId: await installationId(db), name: "stray", powerState: "RUNNING", vcpu: 2, memoryMb: 4096, diskGb: 50 },
    });
    const r = await syncProviderInventory(db, other.providerId, new Date(), { trigger: "test" });
    expect(r.ok && r.reconcile.map((f) => f.action)).toEqual(["cleanup"]);
    const ops = await allOpsDone(id);
    expect(ops.at(-1)).toMatchObject({ kind: "CLEANUP", status: "SUCCEEDED" });
    expect(await db.simMachine.count({ where: { providerId: other.providerId } })).toBe(0);
    expect(await db.simMachine.count({ where: { providerId: e.providerId, idempotencyKey: id } })).toBe(1);
    expect((await db.machine.findUniqueOrThrow({ where: { id } })).state).toBe("RUNNING");
  });

  it("repairs drifted counters to the sum of live reservations, audited", async () => {
    const e = await makeEstate(db, { hosts: 1 });
    const { machineIds } = await approve(db, e, { quantity: 2 });
    await allMachinesIn(db, machineIds, ["RUNNING"]);
    const before = await usage(e);
    await db.project.update({ where: { id: e.projectId }, data: { usedVcpu: 0, usedMachines: 7 } });
    await db.host.update({ where: { id: e.hostIds[0] }, data: { vcpuUsed: 99 } });
    const report = await reconcileCounters(db, { repair: false, trigger: "test", correlationId: randomUUID() });
    expect(report.drift.filter((d) => d.id === e.projectId || d.id === e.hostIds[0]).map((d) => d.kind).sort()).toEqual(["host", "project"]);
    expect(report.repaired).toBe(0);
    const fixed = await reconcileCounters(db, { repair: true, trigger: "test", correlationId: randomUUID() });
    expect(fixed.repaired).toBeGreaterThanOrEqual(2);
    expect(await usage(e)).toEqual(before);
    expect(await db.auditEvent.count({ where: { action: "project.usage_repair", targetId: e.projectId } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "host.usage_repair", targetId: e.hostIds[0] } })).toBe(1);
    expect((await reconcileCounters(db, { repair: false, trigger: "test", correlationId: randomUUID() })).drift).toEqual([]);
  });
});

// Driver faults through a real worker process: transient errors are retried with backoff
// (then succeed, or fail with the driver's message beyond the limit), permanent errors fail
// at once, and a hanging call is cut by the per-operation timeout and retried as transient.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db";
import type { Db } from "../../lib/db/client";
import { createOperation } from "../../lib/orchestration/create-operation";
import { allMachinesIn, approve, makeEstate, spawnWorker, stopAllWorkers, waitFor, type Estate } from "./harness";

let t: TestDatabase;
let db: Db;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  await spawnWorker(t.url, {
    ORQ_OPERATION_MAX_ATTEMPTS: "3",
    ORQ_RETRY_BASE_MS: "300",
    ORQ_RETRY_MAX_MS: "2000",
    ORQ_RETRY_JITTER: "0",
    ORQ_OPERATION_TIMEOUT_MS: "1500",
  });
});

afterAll(async () => {
  await stopAllWorkers();
  await t?.drop();
});

const fault = (e: Estate, operation: string, mode: "TRANSIENT" | "PERMANENT" | "HANG", remaining: number | null, message: string) =>
  db.simFault.create({ data: { providerId: e.providerId, operation, mode, remaining, message } });

const provisionOp = (machineId: string) =>
  waitFor("provision to finish", async () => {
    const o = await db.operation.findFirstOrThrow({ where: { machineId, kind: "PROVISION" } });
    return o.status === "SUCCEEDED" || o.status === "FAILED" ? o : null;
  });

describe("driver faults with a real worker", () => {
  it("retries transient errors with exponential backoff, then succeeds", async () => {
    const e = await makeEstate(db, { hosts: 1 });
    await fault(e, "provision", "TRANSIENT", 2, "hypervisor API busy (503)");
    const { machineIds } = await approve(db, e);
    const op = await provisionOp(machineIds[0]);
    expect(op.status).toBe("SUCCEEDED");
    expect(op.attempts).toBe(3);
    expect(op.error).toBeNull();
    // Backoff 300 ms then 600 ms (no jitter): the attempts cannot have been closer.
    expect(op.finishedAt!.getTime() - op.startedAt!.getTime()).toBeGreaterThanOrEqual(900);
    expect((await db.machine.findUniqueOrThrow({ where: { id: machineIds[0] } })).state).toBe("RUNNING");
    expect(await db.simMachine.count({ where: { idempotencyKey: machineIds[0] } })).toBe(1);
  });

  it("gives up after the attempt limit with the driver's message, and releases the quota", async () => {
    const e = await makeEstate(db, { hosts: 1 });
    await fault(e, "provision", "TRANSIENT", null, "hypervisor API unreachable: connection refused");
    const { machineIds, requestId } = await approve(db, e);
    const op = await provisionOp(machineIds[0]);
    expect(op.status).toBe("FAILED");
    expect(op.attempts).toBe(3);
    expect(op.errorCode).toBe("DRIVER_UNAVAILABLE");
    expect(op.error).toContain("hypervisor API unreachable: connection refused");
    const m = await db.machine.findUniqueOrThrow({ where: { id: machineIds[0] } });
    expect([m.state, m.failureCode]).toEqual(["FAILED", "DRIVER_UNAVAILABLE"]);
    expect(m.failureReason).toContain("connection refused");
    const p = await db.project.findUniqueOrThrow({ where: { id: e.projectId } });
    expect([p.usedVcpu, p.usedMemoryMb, p.usedDiskSsdGb, p.usedMachines, p.usedMonthlyCents]).toEqual([0, 0, 0, 0, 0]);
    const h = await db.host.findUniqueOrThrow({ where: { id: e.hostIds[0] } });
    expect([h.vcpuUsed, h.memoryMbUsed, h.diskSsdGbUsed]).toEqual([0, 0, 0]);
    expect((await db.request.findUniqueOrThrow({ where: { id: requestId } })).status).toBe("FAILED");
    const n = await db.notification.findFirstOrThrow({ where: { userId: e.ownerId, kind: "operation.failed" } });
    expect(n.params).toMatchObject({ machineId: m.id, operation: "PROVISION", errorCode: "DRIVER_UNAVAILABLE" });
  });

  it("fails a permanent error at once", async () => {
    const e = await makeEstate(db, { hosts: 1 });
    await fault(e, "provision", "PERMANENT", 1, "template image is corrupt");
    const { machineIds } = await approve(db, e);
    const op = await provisionOp(machineIds[0]);
    expect([op.status, op.attempts, op.errorCode, op.error]).toEqual(["FAILED", 1, "DRIVER_PROVIDER", "template image is corrupt"]);
    expect((await db.machine.findUniqueOrThrow({ where: { id: machineIds[0] } })).failureReason).toBe("template image is corrupt");
  });

  it("times out a hanging call and retries it as transient", async () => {
    const e = await makeEstate(db, { hosts: 1 });
    await fault(e, "provision", "HANG", 1, "never answers");
    const { machineIds } = await approve(db, e);
    const op = await provisionOp(machineIds[0]);
    expect(op.status).toBe("SUCCEEDED");
    expect(op.attempts).toBe(2);
    expect(op.finishedAt!.getTime() - op.startedAt!.getTime()).toBeGreaterThanOrEqual(1500);
  });

  it("puts a machine back where it was when a day-2 operation fails", async () => {
    const e = await makeEstate(db, { hosts: 1 });
    const { machineIds } = await approve(db, e);
    await allMachinesIn(db, machineIds, ["RUNNING"]);
    await fault(e, "stop", "PERMANENT", 1, "guest tools refused to shut down");
    const op = await db.$transaction(async (tx) => {
      const m = await tx.machine.findUniqueOrThrow({ where: { id: machineIds[0] } });
      return createOperation(tx, m, { kind: "STOP" });
    });
    const done = await waitFor("stop to fail", async () => {
      const o = await db.operation.findUniqueOrThrow({ where: { id: op.id } });
      return o.status === "FAILED" ? o : null;
    });
    expect(done.error).toBe("guest tools refused to shut down");
    expect((await db.machine.findUniqueOrThrow({ where: { id: machineIds[0] } })).state).toBe("RUNNING");
  });
});

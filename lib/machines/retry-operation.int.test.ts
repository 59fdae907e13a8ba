// Retry of a failed operation, against a real PostgreSQL and the simulator driver run in
// process: the engine reports its phases and the time of the next attempt; a failed operation
// is retried as a new operation of the same kind (linked, audited), once, by those who may
// operate the machine, and only while it is the machine's latest.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeProject, makeUser } from "../../test/factories";
import { makeMachine } from "../../test/machine-factories";
import type { Ctx } from "../context";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { logger } from "../log/logger";
import { runOperation } from "../orchestration/run-operation";
import { stopMachine } from "./stop-machine";
import { getMachine } from "./get-machine";
import { retryOperation } from "./retry-operation";

let t: TestDatabase;
let db: Db;
let projectId: string;
let member: Ctx;
let viewer: Ctx;
let outsider: Ctx;

const deps = () => ({ db, now: () => new Date(), retry: { baseMs: 1000, maxMs: 1000, maxAttempts: 3, jitter: 0 }, log: logger });

async function expectError(p: Promise<unknown>, code: AppError["code"]) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected ${code}`).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  return err as AppError;
}

/** A RUNNING machine on a simulator provider, with its simulated counterpart. */
async function simMachine() {
  const m = await makeMachine(db, { projectId, ownerId: member.actor.id, state: "RUNNING" });
  const sim = await db.simMachine.create({
    data: { providerId: m.providerId!, idempotencyKey: m.id, name: m.name, powerState: "RUNNING", vcpu: m.vcpu, memoryMb: m.memoryMb, diskGb: m.diskGb },
  });
  return db.machine.update({ where: { id: m.id }, data: { externalRef: sim.id } });
}

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  projectId = (await makeProject(db)).id;
  const other = await makeProject(db);
  const alice = await makeUser(db);
  const vera = await makeUser(db);
  const bob = await makeUser(db);
  await addMember(db, projectId, alice.id, "MEMBER");
  await addMember(db, projectId, vera.id, "VIEWER");
  await addMember(db, other.id, bob.id, "MEMBER");
  member = await ctxFor(db, alice.id);
  viewer = await ctxFor(db, vera.id);
  outsider = await ctxFor(db, bob.id);
});
afterAll(async () => {
  await t?.drop();
});

describe("phases and the next attempt", () => {
  it("a transient failure queues the next attempt with its time and the allowed count; phases end in finishing", async () => {
    const m = await simMachine();
    await db.simFault.create({ data: { providerId: m.providerId!, operation: "stop", mode: "TRANSIENT", remaining: 1, message: "host busy" } });
    const { operationId } = await stopMachine(member, { machineId: m.id });
    const before = Date.now();
    expect(await runOperation(deps(), operationId)).toBe("retrying");
    const queued = await db.operation.findUniqueOrThrow({ where: { id: operationId } });
    expect(queued).toMatchObject({ status: "QUEUED", attempts: 1, phase: "working", phaseStep: 2, phaseSteps: 3 });
    expect(queued.nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(before + 900);
    expect((queued.result as { retry: { maxAttempts: number } }).retry.maxAttempts).toBe(10);
    const view = await getMachine(member, { machineId: m.id });
    expect(view.currentOperation).toMatchObject({ id: operationId, status: "QUEUED", maxAttempts: 10, phase: "working" });
    expect(view.currentOperation!.nextAttemptAt).toBe(queued.nextAttemptAt!.toISOString());

    expect(await runOperation(deps(), operationId)).toBe("succeeded");
    const done = await db.operation.findUniqueOrThrow({ where: { id: operationId } });
    expect(done).toMatchObject({ status: "SUCCEEDED", attempts: 2, phase: "finishing", phaseStep: 3, phaseSteps: 3, progress: 100 });
  });
});

describe("retryOperation", () => {
  it("retries a failed stop once: a new STOP linked to it, audited, then it runs", async () => {
    const m = await simMachine();
    const fault = await db.simFault.create({ data: { providerId: m.providerId!, operation: "stop", mode: "PERMANENT", remaining: 1, message: "disk array offline" } });
    const { operationId: failedId } = await stopMachine(member, { machineId: m.id });
    expect(await runOperation(deps(), failedId)).toBe("failed");
    expect(await db.machine.findUniqueOrThrow({ where: { id: m.id } })).toMatchObject({ state: "RUNNING" });
    expect((await getMachine(member, { machineId: m.id })).lastFailure).toMatchObject({ id: failedId, retryable: true });
    // A viewer sees it but may not retry it; another project's member does not see it.
    expect((await getMachine(viewer, { machineId: m.id })).lastFailure).toMatchObject({ id: failedId, retryable: false });
    await expectError(retryOperation(viewer, { machineId: m.id, operationId: failedId }), "FORBIDDEN");
    await expectError(retryOperation(outsider, { machineId: m.id, operationId: failedId }), "NOT_FOUND");

    const r = await retryOperation(member, { machineId: m.id, operationId: failedId });
    expect(r.retryOfId).toBe(failedId);
    const again = await db.operation.findUniqueOrThrow({ where: { id: r.operationId } });
    expect(again).toMatchObject({ kind: "STOP", status: "QUEUED", retryOfId: failedId, requestedById: member.actor.id });
    expect(await db.machine.findUniqueOrThrow({ where: { id: m.id } })).toMatchObject({ state: "STOPPING" });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "operation.retry", targetId: m.id } });
    expect(audit.after).toMatchObject({ operationId: r.operationId });
    expect(audit.before).toMatchObject({ operationId: failedId, kind: "STOP" });
    expect(await db.simFault.findUniqueOrThrow({ where: { id: fault.id } })).toMatchObject({ remaining: 0 });

    // Twice is refused; the retry runs to the end.
    await expectError(retryOperation(member, { machineId: m.id, operationId: failedId }), "CONFLICT");
    expect(await runOperation(deps(), r.operationId)).toBe("succeeded");
    expect(await db.machine.findUniqueOrThrow({ where: { id: m.id } })).toMatchObject({ state: "STOPPED" });
    expect((await getMachine(member, { machineId: m.id })).lastFailure).toBeNull();
  });

  it("refuses what is not the latest failed operation of a kind users may repeat", async () => {
    const m = await simMachine();
    const ok = await db.operation.create({ data: { machineId: m.id, kind: "REBOOT", status: "SUCCEEDED", params: { fromState: "RUNNING" } } });
    await expectError(retryOperation(member, { machineId: m.id, operationId: ok.id }), "CONFLICT");
    const provision = await db.operation.create({ data: { machineId: m.id, kind: "PROVISION", status: "FAILED", params: { fromState: "REQUESTED" } } });
    await expectError(retryOperation(member, { machineId: m.id, operationId: provision.id }), "CONFLICT");
    // An older failure with a later operation behind it.
    const oldFail = await db.operation.create({ data: { machineId: m.id, kind: "REBOOT", status: "FAILED", params: { fromState: "RUNNING" } } });
    await db.operation.create({ data: { machineId: m.id, kind: "REBOOT", status: "SUCCEEDED", params: { fromState: "RUNNING" } } });
    await expectError(retryOperation(member, { machineId: m.id, operationId: oldFail.id }), "CONFLICT");
    // Another machine's operation is not found through this one.
    const other = await simMachine();
    const otherFail = await db.operation.create({ data: { machineId: other.id, kind: "REBOOT", status: "FAILED", params: { fromState: "RUNNING" } } });
    await expectError(retryOperation(member, { machineId: m.id, operationId: otherFail.id }), "NOT_FOUND");
    // The state machine still rules: a failed start on a machine that is running now.
    const startFail = await db.operation.create({ data: { machineId: other.id, kind: "START", status: "FAILED", params: { fromState: "STOPPED" } } });
    await expectError(retryOperation(member, { machineId: other.id, operationId: startFail.id }), "CONFLICT");
    expect(await db.operation.count({ where: { retryOfId: { not: null } } })).toBe(1);
  });
});

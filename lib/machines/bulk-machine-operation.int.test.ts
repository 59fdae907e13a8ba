// Bulk start/stop/delete: every machine goes through the ordinary day-2 path, so permissions,
// state and policy refuse machine by machine, and the others still go ahead.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeProject, makeUser } from "../../test/factories";
import { makeMachine } from "../../test/machine-factories";
import type { Ctx } from "../context";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { bulkMachineOperation } from "./bulk-machine-operation";

let t: TestDatabase;
let db: Db;
let projectId: string;
let otherProjectId: string;
let member: Ctx;
let ownerId: string;
let otherOwnerId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  projectId = (await makeProject(db)).id;
  otherProjectId = (await makeProject(db)).id;
  const alice = await makeUser(db);
  const bob = await makeUser(db);
  await addMember(db, projectId, alice.id, "MEMBER");
  await addMember(db, otherProjectId, bob.id, "MEMBER");
  ownerId = alice.id;
  otherOwnerId = bob.id;
  member = await ctxFor(db, alice.id);
});
afterAll(async () => t?.drop());

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("bulkMachineOperation", () => {
  it("stops the machines it may and reports each refusal (other project, wrong state, unknown id)", async () => {
    const a = await makeMachine(db, { projectId, ownerId, state: "RUNNING", name: "bulk-a" });
    const b = await makeMachine(db, { projectId, ownerId, state: "RUNNING", name: "bulk-b" });
    const stopped = await makeMachine(db, { projectId, ownerId, state: "STOPPED", name: "bulk-stopped" });
    const theirs = await makeMachine(db, { projectId: otherProjectId, ownerId: otherOwnerId, state: "RUNNING", name: "theirs" });
    const unknown = randomUUID();

    const r = await bulkMachineOperation(member, { action: "stop", machineIds: [a.id, theirs.id, stopped.id, b.id, unknown] });
    expect(r.succeeded).toBe(2);
    expect(r.failed).toBe(3);
    expect(r.results.map((x) => [x.machineId, x.ok])).toEqual([
      [a.id, true],
      [theirs.id, false],
      [stopped.id, false],
      [b.id, true],
      [unknown, false],
    ]);
    const byId = new Map(r.results.map((x) => [x.machineId, x]));
    // Another project's machine reads "not found" and carries no name: nothing leaks.
    expect(byId.get(theirs.id)).toMatchObject({ ok: false, code: "NOT_FOUND", name: null });
    expect(byId.get(stopped.id)).toMatchObject({ ok: false, code: "CONFLICT", name: "bulk-stopped" });
    expect(byId.get(unknown)).toMatchObject({ ok: false, code: "NOT_FOUND" });

    expect((await db.machine.findUniqueOrThrow({ where: { id: theirs.id } })).state).toBe("RUNNING");
    expect(await db.operation.count({ where: { machineId: theirs.id } })).toBe(0);
    expect((await db.machine.findUniqueOrThrow({ where: { id: a.id } })).state).toBe("STOPPING");
    expect(await db.operation.count({ where: { machineId: { in: [a.id, b.id] }, kind: "STOP" } })).toBe(2);
    // One audit event per machine queued, through the ordinary path.
    expect(await db.auditEvent.count({ where: { action: "machine.stop", targetId: { in: [a.id, b.id, stopped.id, theirs.id] } } })).toBe(2);
  });

  it("starts and deletes, delete only with the count confirmed", async () => {
    const s1 = await makeMachine(db, { projectId, ownerId, state: "STOPPED" });
    const s2 = await makeMachine(db, { projectId, ownerId, state: "STOPPED" });
    const started = await bulkMachineOperation(member, { action: "start", machineIds: [s1.id] });
    expect(started.results[0]).toMatchObject({ ok: true, state: "STARTING" });

    const err = await failure(bulkMachineOperation(member, { action: "delete", machineIds: [s2.id] }));
    expect(err.code).toBe("VALIDATION");
    expect(await db.operation.count({ where: { machineId: s2.id } })).toBe(0);
    const wrong = await failure(bulkMachineOperation(member, { action: "delete", machineIds: [s2.id], confirmCount: 2 }));
    expect(wrong.code).toBe("VALIDATION");
    const deleted = await bulkMachineOperation(member, { action: "delete", machineIds: [s2.id], confirmCount: 1 });
    expect(deleted.results[0]).toMatchObject({ ok: true });
    expect(await db.operation.count({ where: { machineId: s2.id, kind: "DELETE" } })).toBe(1);
  });

  it("refuses bad input as a whole: empty, duplicates, more than 100, bad ids", async () => {
    const m = await makeMachine(db, { projectId, ownerId, state: "RUNNING" });
    expect((await failure(bulkMachineOperation(member, { action: "stop", machineIds: [] }))).code).toBe("VALIDATION");
    expect((await failure(bulkMachineOperation(member, { action: "stop", machineIds: [m.id, m.id] }))).code).toBe("VALIDATION");
    const many = Array.from({ length: 101 }, () => randomUUID());
    expect((await failure(bulkMachineOperation(member, { action: "stop", machineIds: many }))).code).toBe("VALIDATION");
    expect((await failure(bulkMachineOperation(member, { action: "stop", machineIds: ["nope"] }))).code).toBe("VALIDATION");
    // @ts-expect-error: not a bulk action
    expect((await failure(bulkMachineOperation(member, { action: "reboot", machineIds: [m.id] }))).code).toBe("VALIDATION");
    expect(await db.operation.count({ where: { machineId: m.id } })).toBe(0);
  });

  it("lets a project viewer do nothing", async () => {
    const vera = await makeUser(db);
    await addMember(db, projectId, vera.id, "VIEWER");
    const m = await makeMachine(db, { projectId, ownerId, state: "RUNNING" });
    const r = await bulkMachineOperation(await ctxFor(db, vera.id), { action: "stop", machineIds: [m.id] });
    expect(r.results[0]).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await db.operation.count({ where: { machineId: m.id } })).toBe(0);
  });
});

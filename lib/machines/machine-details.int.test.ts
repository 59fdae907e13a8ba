// Rename, tags and transfer of a machine (issue 16), against a real PostgreSQL and the
// simulator driver: permissions, conflicts, DNS-label names unique per project, a provider that
// fails after renaming, tag validation, transfer only to active members, notified and audited.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeProject, makeUser } from "../../test/factories";
import { makeMachine } from "../../test/machine-factories";
import type { Ctx } from "../context";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { renameMachine } from "./rename-machine";
import { renameMachineSchema } from "./schemas";
import { setMachineTags } from "./set-machine-tags";
import { transferMachine } from "./transfer-machine";
import { getMachine } from "./get-machine";

let t: TestDatabase;
let db: Db;
let projectId: string;
let owner: Ctx;
let colleague: Ctx;
let approver: Ctx;
let viewer: Ctx;
let outsider: Ctx;

async function expectError(p: Promise<unknown>, code: AppError["code"]) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected ${code}`).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  return err as AppError;
}

async function simMachine(name?: string) {
  const m = await makeMachine(db, { projectId, ownerId: owner.actor.id, state: "RUNNING", name });
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
  const users = await Promise.all([0, 1, 2, 3, 4].map(() => makeUser(db)));
  await addMember(db, projectId, users[0].id, "MEMBER");
  await addMember(db, projectId, users[1].id, "MEMBER");
  await addMember(db, projectId, users[2].id, "APPROVER");
  await addMember(db, projectId, users[3].id, "VIEWER");
  await addMember(db, other.id, users[4].id, "MEMBER");
  [owner, colleague, approver, viewer, outsider] = await Promise.all(users.map((u) => ctxFor(db, u.id)));
});
afterAll(async () => {
  await t?.drop();
});

describe("renameMachine", () => {
  it("validates a DNS label", () => {
    expect(renameMachineSchema.safeParse({ machineId: crypto.randomUUID(), name: "Web-01" }).data?.name).toBe("web-01");
    for (const bad of ["", "-web", "web-", "web_01", "a".repeat(64), "wéb"]) {
      expect(renameMachineSchema.safeParse({ machineId: crypto.randomUUID(), name: bad }).success, bad).toBe(false);
    }
  });

  it("renames in the portal and on the provider, unique in the project, audited", async () => {
    const m = await simMachine();
    const taken = await simMachine();
    const err = await expectError(renameMachine(owner, { machineId: m.id, name: taken.name }), "VALIDATION");
    expect(err.details?.fields?.name?.[0]).toBe("fieldErrors.machines.nameTaken");
    await expectError(renameMachine(viewer, { machineId: m.id, name: "api-01" }), "FORBIDDEN");
    await expectError(renameMachine(outsider, { machineId: m.id, name: "api-01" }), "NOT_FOUND");

    const r = await renameMachine(owner, { machineId: m.id, name: "api-01" });
    expect(r).toMatchObject({ name: "api-01", provider: "renamed", providerError: null });
    expect(await db.machine.findUniqueOrThrow({ where: { id: m.id } })).toMatchObject({ name: "api-01" });
    expect(await db.simMachine.findUniqueOrThrow({ where: { id: m.externalRef! } })).toMatchObject({ name: "api-01" });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "machine.rename", targetId: m.id } });
    expect(audit.before).toEqual({ name: m.name });
    // A deleted machine's name is free again.
    await db.machine.update({ where: { id: taken.id }, data: { state: "DELETED" } });
    const other = await simMachine();
    expect((await renameMachine(owner, { machineId: other.id, name: taken.name })).name).toBe(taken.name);
  });

  it("keeps the portal name when the provider fails after renaming, and repeats only the provider call", async () => {
    const m = await simMachine();
    await db.simFault.create({ data: { providerId: m.providerId!, operation: "rename", mode: "AFTER_PERMANENT", remaining: 1, message: "vCenter task lost" } });
    const r = await renameMachine(owner, { machineId: m.id, name: "db-01" });
    expect(r).toMatchObject({ name: "db-01", provider: "failed" });
    expect(r.providerError).toMatch(/vCenter task lost/);
    expect(await db.machine.findUniqueOrThrow({ where: { id: m.id } })).toMatchObject({ name: "db-01" });
    // The simulator acted before failing: it has the name already; asking again succeeds.
    expect(await db.simMachine.findUniqueOrThrow({ where: { id: m.externalRef! } })).toMatchObject({ name: "db-01" });
    const again = await renameMachine(owner, { machineId: m.id, name: "db-01" });
    expect(again.provider).toBe("renamed");
    expect(await db.auditEvent.count({ where: { action: "machine.rename", targetId: m.id } })).toBe(1);
  });

  it("renames in the portal only where the provider keeps its own names", async () => {
    const m = await makeMachine(db, { projectId, ownerId: owner.actor.id, state: "STOPPED", providerKind: "DOCKER" });
    const r = await renameMachine(owner, { machineId: m.id, name: "cache-01" });
    expect(r).toMatchObject({ provider: "portal", providerError: null });
    expect((await getMachine(owner, { machineId: m.id })).providerRenames).toBe(false);
    await db.machine.update({ where: { id: m.id }, data: { state: "DELETING" } });
    await expectError(renameMachine(owner, { machineId: m.id, name: "cache-02" }), "CONFLICT");
  });
});

describe("setMachineTags", () => {
  it("replaces the tags, refuses bad ones, audits before and after", async () => {
    const m = await simMachine();
    const r = await setMachineTags(owner, { machineId: m.id, tags: "env=prod\n\n team = payments \ncost-centre=4711" });
    expect(r.tags).toEqual({ env: "prod", team: "payments", "cost-centre": "4711" });
    expect((await getMachine(viewer, { machineId: m.id })).tags).toEqual(r.tags);
    const err = await expectError(setMachineTags(owner, { machineId: m.id, tags: "env=prod\nEnv=dev\nnoequals\nenv=again" }), "VALIDATION");
    expect(err.details?.fields?.tags).toHaveLength(3);
    await expectError(setMachineTags(viewer, { machineId: m.id, tags: "a=b" }), "FORBIDDEN");
    expect((await db.machine.findUniqueOrThrow({ where: { id: m.id } })).tags).toEqual(r.tags);
    await setMachineTags(owner, { machineId: m.id, tags: "" });
    const audits = await db.auditEvent.findMany({ where: { action: "machine.tag", targetId: m.id }, orderBy: { id: "asc" } });
    expect(audits.map((a) => a.after)).toEqual([{ tags: r.tags }, { tags: {} }]);
  });
});

describe("transferMachine", () => {
  it("the owner hands it to a member; the new owner is notified; audited", async () => {
    const m = await simMachine();
    const d = await getMachine(owner, { machineId: m.id });
    expect(d.canTransfer).toBe(true);
    expect(d.transferCandidates.map((c) => c.id).sort()).toEqual([colleague.actor.id, approver.actor.id].sort());
    // Not to a viewer, nor someone outside the project, nor the owner.
    for (const to of [viewer.actor.id, outsider.actor.id, owner.actor.id]) await expectError(transferMachine(owner, { machineId: m.id, ownerId: to }), "VALIDATION");
    await transferMachine(owner, { machineId: m.id, ownerId: colleague.actor.id });
    expect(await db.machine.findUniqueOrThrow({ where: { id: m.id } })).toMatchObject({ ownerId: colleague.actor.id });
    expect(await db.notification.findFirst({ where: { userId: colleague.actor.id, kind: "machine.transferred" } })).toMatchObject({ link: `/machines/${m.id}` });
    expect(await db.auditEvent.findFirstOrThrow({ where: { action: "machine.transfer", targetId: m.id } })).toMatchObject({
      before: expect.objectContaining({ ownerId: owner.actor.id }),
      after: expect.objectContaining({ ownerId: colleague.actor.id }),
    });
    // The former owner is a member but no longer the owner: they may not give it away again.
    expect((await getMachine(owner, { machineId: m.id })).canTransfer).toBe(false);
    await expectError(transferMachine(owner, { machineId: m.id, ownerId: approver.actor.id }), "FORBIDDEN");
    // An approver may, whoever owns it.
    await transferMachine(approver, { machineId: m.id, ownerId: owner.actor.id });
    expect(await db.machine.findUniqueOrThrow({ where: { id: m.id } })).toMatchObject({ ownerId: owner.actor.id });
    await expectError(transferMachine(viewer, { machineId: m.id, ownerId: colleague.actor.id }), "FORBIDDEN");
    await expectError(transferMachine(outsider, { machineId: m.id, ownerId: colleague.actor.id }), "NOT_FOUND");
  });
});

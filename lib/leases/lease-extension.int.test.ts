// Lease extensions: within the project's maximum they apply at once; beyond it they wait
// for an approver of the project, who is never the requester.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeProject, makeUser } from "../../test/factories";
import { makeMachine } from "../../test/machine-factories";
import type { Ctx } from "../context";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { requestLeaseExtension } from "./request-lease-extension";
import { decideLeaseExtension } from "./decide-lease-extension";
import { listLeaseExtensions } from "./list-lease-extensions";
import { getMachine } from "../machines/get-machine";

const NOW = new Date("2030-03-01T10:00:00Z");
const clock = () => NOW;
let t: TestDatabase;
let db: Db;
let projectId: string;
let owner: Ctx;
let colleague: Ctx;
let approver: Ctx;
let outsiderApprover: Ctx;

async function expectError(p: Promise<unknown>, code: AppError["code"]) {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  return err as AppError;
}

const machineWithLease = (ends = "2030-03-10") =>
  makeMachine(db, { projectId, ownerId: owner.actor.id, state: "RUNNING", leaseEndsAt: new Date(`${ends}T23:59:59.999Z`) });

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  projectId = (await makeProject(db, { maxLeaseDays: 30 })).id;
  const other = await makeProject(db);
  const [o, c, a, x] = await Promise.all([makeUser(db), makeUser(db), makeUser(db), makeUser(db)]);
  await addMember(db, projectId, o.id, "MEMBER");
  await addMember(db, projectId, c.id, "MEMBER");
  await addMember(db, projectId, a.id, "APPROVER");
  await addMember(db, other.id, x.id, "APPROVER");
  [owner, colleague, approver, outsiderApprover] = await Promise.all([o, c, a, x].map((u) => ctxFor(db, u.id, clock)));
});

afterAll(async () => {
  await t?.drop();
});

describe("lease extension", () => {
  it("within the project's maximum (from now): applied at once and audited", async () => {
    const m = await machineWithLease();
    await db.machine.update({ where: { id: m.id }, data: { leaseNotifiedAt: NOW } });
    const r = await requestLeaseExtension(owner, { machineId: m.id, newEndDate: "2030-03-31", reason: "" });
    expect(r).toEqual({ applied: true, leaseEndsAt: "2030-03-31T23:59:59.999Z" });
    const after = await db.machine.findUniqueOrThrow({ where: { id: m.id } });
    expect(after.leaseEndsAt?.toISOString()).toBe("2030-03-31T23:59:59.999Z");
    expect(after.leaseNotifiedAt).toBeNull();
    expect(await db.leaseExtension.count({ where: { machineId: m.id } })).toBe(0);
    const audit = await db.auditEvent.findMany({ where: { targetId: m.id } });
    expect(audit.map((a) => a.action)).toEqual(["lease.extend"]);
  });

  it("refuses dates not after the current end, and other people", async () => {
    const m = await machineWithLease();
    for (const d of ["2030-03-10", "2030-03-05", "2030-02-01"]) {
      const err = await expectError(requestLeaseExtension(owner, { machineId: m.id, newEndDate: d, reason: "" }), "VALIDATION");
      expect(err.details?.fields?.newEndDate).toBeTruthy();
    }
    await expectError(requestLeaseExtension(colleague, { machineId: m.id, newEndDate: "2030-03-20", reason: "" }), "FORBIDDEN");
    await expectError(requestLeaseExtension(outsiderApprover, { machineId: m.id, newEndDate: "2030-03-20", reason: "" }), "NOT_FOUND");
    const after = await db.machine.findUniqueOrThrow({ where: { id: m.id } });
    expect(after.leaseEndsAt?.toISOString()).toBe("2030-03-10T23:59:59.999Z");
    expect(await db.auditEvent.count({ where: { targetId: m.id } })).toBe(0);
  });

  it("beyond the maximum: pending (with a reason), then approved by an approver of the project", async () => {
    const m = await machineWithLease();
    await expectError(requestLeaseExtension(owner, { machineId: m.id, newEndDate: "2030-06-30", reason: "" }), "VALIDATION");
    const r = await requestLeaseExtension(owner, { machineId: m.id, newEndDate: "2030-06-30", reason: "Quarter-end reporting" });
    expect(r.applied).toBe(false);
    const extensionId = (r as { extensionId: string }).extensionId;
    // The lease is unchanged until someone decides; a second request waits for the first.
    expect((await db.machine.findUniqueOrThrow({ where: { id: m.id } })).leaseEndsAt?.toISOString()).toBe("2030-03-10T23:59:59.999Z");
    await expectError(requestLeaseExtension(owner, { machineId: m.id, newEndDate: "2030-07-30", reason: "again" }), "CONFLICT");

    const pending = await listLeaseExtensions(approver, { status: "PENDING", page: 1 });
    expect(pending.items.map((i) => i.id)).toContain(extensionId);
    expect(pending.items.find((i) => i.id === extensionId)?.canDecide).toBe(true);
    // An approver of another project sees nothing of it and cannot decide it; a member cannot list.
    expect((await listLeaseExtensions(outsiderApprover, { status: "PENDING", page: 1 })).items).toHaveLength(0);
    await expectError(decideLeaseExtension(outsiderApprover, { extensionId, decision: "APPROVE", reason: "" }), "NOT_FOUND");
    await expectError(decideLeaseExtension(colleague, { extensionId, decision: "APPROVE", reason: "" }), "FORBIDDEN");
    await expectError(listLeaseExtensions(colleague, { status: "PENDING", page: 1 }), "FORBIDDEN");

    await decideLeaseExtension(approver, { extensionId, decision: "APPROVE", reason: "" });
    const ext = await db.leaseExtension.findUniqueOrThrow({ where: { id: extensionId } });
    expect(ext).toMatchObject({ status: "APPROVED", decidedById: approver.actor.id });
    expect((await db.machine.findUniqueOrThrow({ where: { id: m.id } })).leaseEndsAt?.toISOString()).toBe("2030-06-30T23:59:59.999Z");
    const notes = await db.notification.findMany({ where: { userId: owner.actor.id, kind: "lease.extension.decided" } });
    expect(notes).toHaveLength(1);
    expect(notes[0].params).toMatchObject({ machineName: m.name, decision: "APPROVED" });
    expect(notes[0].link).toBe(`/machines/${m.id}`);
    // Decided once only.
    await expectError(decideLeaseExtension(approver, { extensionId, decision: "REJECT", reason: "late" }), "CONFLICT");
    const actions = (await db.auditEvent.findMany({ where: { projectId }, orderBy: { id: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["lease.extension.request", "lease.extension.approve"]));
  });

  it("beyond the maximum: rejected with a reason leaves the lease as it was", async () => {
    const m = await machineWithLease();
    const r = (await requestLeaseExtension(owner, { machineId: m.id, newEndDate: "2030-12-31", reason: "Long project" })) as { extensionId: string };
    await expectError(decideLeaseExtension(approver, { extensionId: r.extensionId, decision: "REJECT", reason: "" }), "VALIDATION");
    await decideLeaseExtension(approver, { extensionId: r.extensionId, decision: "REJECT", reason: "Request a new machine next quarter" });
    expect((await db.leaseExtension.findUniqueOrThrow({ where: { id: r.extensionId } })).status).toBe("REJECTED");
    expect((await db.machine.findUniqueOrThrow({ where: { id: m.id } })).leaseEndsAt?.toISOString()).toBe("2030-03-10T23:59:59.999Z");
    const note = await db.notification.findFirstOrThrow({ where: { userId: owner.actor.id, kind: "lease.extension.decided", params: { path: ["machineName"], equals: m.name } } });
    expect(note.params).toMatchObject({ decision: "REJECTED", reason: "Request a new machine next quarter" });
    const decided = await listLeaseExtensions(approver, { status: "DECIDED", page: 1 });
    expect(decided.items.find((i) => i.id === r.extensionId)?.status).toBe("REJECTED");
  });

  it("nobody decides their own extension, not even an approver", async () => {
    const m = await makeMachine(db, { projectId, ownerId: approver.actor.id, state: "RUNNING", leaseEndsAt: new Date("2030-03-10T23:59:59.999Z") });
    const r = (await requestLeaseExtension(approver, { machineId: m.id, newEndDate: "2030-09-30", reason: "Needed" })) as { extensionId: string };
    const list = await listLeaseExtensions(approver, { status: "PENDING", page: 1 });
    expect(list.items.find((i) => i.id === r.extensionId)?.canDecide).toBe(false);
    await expectError(decideLeaseExtension(approver, { extensionId: r.extensionId, decision: "APPROVE", reason: "" }), "FORBIDDEN");
    expect((await db.leaseExtension.findUniqueOrThrow({ where: { id: r.extensionId } })).status).toBe("PENDING");
  });

  describe("a machine without a lease end", () => {
    it("in a project with a maximum lease: the owner gives it one, at once up to the maximum", async () => {
      const m = await makeMachine(db, { projectId, ownerId: owner.actor.id, state: "RUNNING" });
      const view = await getMachine(owner, { machineId: m.id });
      expect(view.leaseEndsAt).toBeNull();
      expect(view.canExtendLease).toBe(true);
      // Not the past, not today.
      for (const d of ["2030-02-20", "2030-03-01"]) {
        const err = await expectError(requestLeaseExtension(owner, { machineId: m.id, newEndDate: d, reason: "" }), "VALIDATION");
        expect(err.details?.fields?.newEndDate).toEqual(["Choose a date after today"]);
      }
      const r = await requestLeaseExtension(owner, { machineId: m.id, newEndDate: "2030-03-31", reason: "" });
      expect(r).toEqual({ applied: true, leaseEndsAt: "2030-03-31T23:59:59.999Z" });
      expect((await db.machine.findUniqueOrThrow({ where: { id: m.id } })).leaseEndsAt?.toISOString()).toBe("2030-03-31T23:59:59.999Z");
      const audit = await db.auditEvent.findFirstOrThrow({ where: { targetId: m.id, action: "lease.extend" } });
      expect(audit.before).toEqual({ leaseEndsAt: null });
    });

    it("in a project with a maximum lease: a date beyond it goes through an approver", async () => {
      const m = await makeMachine(db, { projectId, ownerId: owner.actor.id, state: "STOPPED" });
      await expectError(requestLeaseExtension(owner, { machineId: m.id, newEndDate: "2030-12-31", reason: "" }), "VALIDATION");
      const r = (await requestLeaseExtension(owner, { machineId: m.id, newEndDate: "2030-12-31", reason: "Runs the yearly close" })) as { extensionId: string };
      expect((await db.machine.findUniqueOrThrow({ where: { id: m.id } })).leaseEndsAt).toBeNull();
      const pending = await listLeaseExtensions(approver, { status: "PENDING", page: 1 });
      expect(pending.items.find((i) => i.id === r.extensionId)?.machine.leaseEndsAt).toBeNull();
      await decideLeaseExtension(approver, { extensionId: r.extensionId, decision: "APPROVE", reason: "" });
      expect((await db.machine.findUniqueOrThrow({ where: { id: m.id } })).leaseEndsAt?.toISOString()).toBe("2030-12-31T23:59:59.999Z");
    });

    it("in a project without a maximum: nothing to extend, said in plain words", async () => {
      const unlimited = await makeProject(db);
      await addMember(db, unlimited.id, owner.actor.id, "MEMBER");
      const ctx = await ctxFor(db, owner.actor.id, clock);
      const m = await makeMachine(db, { projectId: unlimited.id, ownerId: owner.actor.id, state: "RUNNING" });
      expect((await getMachine(ctx, { machineId: m.id })).canExtendLease).toBe(false);
      const err = await expectError(requestLeaseExtension(ctx, { machineId: m.id, newEndDate: "2030-03-20", reason: "" }), "VALIDATION");
      expect(err.details?.fields?.newEndDate).toEqual(["This machine has no lease end: it runs until it is deleted, so there is nothing to extend"]);
      expect((await db.machine.findUniqueOrThrow({ where: { id: m.id } })).leaseEndsAt).toBeNull();
    });
  });
});

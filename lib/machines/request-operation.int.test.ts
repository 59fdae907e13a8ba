// Day-2 requests against a real PostgreSQL: each verb writes exactly one Operation, one
// graphile-worker job and one audit event, or nothing at all when it is refused.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeOffering, makeProject, makeUser } from "../../test/factories";
import { jobsFor, makeMachine } from "../../test/machine-factories";
import type { Ctx } from "../context";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import type { MachineState, OperationKind } from "../generated/prisma/enums";
import { startMachine } from "./start-machine";
import { stopMachine } from "./stop-machine";
import { rebootMachine } from "./reboot-machine";
import { resizeMachine } from "./resize-machine";
import { createSnapshot } from "./create-snapshot";
import { revertSnapshot } from "./revert-snapshot";
import { deleteSnapshot } from "./delete-snapshot";
import { deleteMachine } from "./delete-machine";
import { getMachine } from "./get-machine";

let t: TestDatabase;
let db: Db;
let projectId: string;
let otherProjectId: string;
let member: Ctx;
let viewer: Ctx;
let outsider: Ctx;
let admin: Ctx;
let ownerId: string;

async function expectError(p: Promise<unknown>, code: AppError["code"]) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected ${code}`).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  return err as AppError;
}

/** Everything a refused request must leave untouched. */
async function snapshotOf(machineId: string) {
  const m = await db.machine.findUniqueOrThrow({ where: { id: machineId } });
  const ops = await db.operation.count({ where: { machineId } });
  const audits = await db.auditEvent.count({ where: { targetId: machineId } });
  const jobs = (await jobsFor(db)).filter((j) => j.queue_name === `machine:${machineId}`).length;
  return { state: m.state, version: m.version, ops, audits, jobs };
}

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  const project = await makeProject(db);
  const other = await makeProject(db);
  projectId = project.id;
  otherProjectId = other.id;
  const alice = await makeUser(db);
  const vera = await makeUser(db);
  const bob = await makeUser(db);
  const ada = await makeUser(db, { role: "ADMIN" });
  await addMember(db, projectId, alice.id, "MEMBER");
  await addMember(db, projectId, vera.id, "VIEWER");
  await addMember(db, otherProjectId, bob.id, "MEMBER");
  ownerId = alice.id;
  member = await ctxFor(db, alice.id);
  viewer = await ctxFor(db, vera.id);
  outsider = await ctxFor(db, bob.id);
  admin = await ctxFor(db, ada.id);
});

afterAll(async () => {
  await t?.drop();
});

describe("each day-2 request", () => {
  type Case = { kind: OperationKind; from: MachineState; to: MachineState; run: (ctx: Ctx, machineId: string) => Promise<unknown>; params?: Record<string, unknown> };
  const bigger = { vcpu: 4, memoryMb: 8192, diskGb: 100 };
  const cases: Case[] = [
    { kind: "START", from: "STOPPED", to: "STARTING", run: (ctx, id) => startMachine(ctx, { machineId: id }) },
    { kind: "STOP", from: "RUNNING", to: "STOPPING", run: (ctx, id) => stopMachine(ctx, { machineId: id }) },
    { kind: "REBOOT", from: "RUNNING", to: "REBOOTING", run: (ctx, id) => rebootMachine(ctx, { machineId: id }) },
    {
      kind: "RESIZE",
      from: "STOPPED",
      to: "RESIZING",
      run: async (ctx, id) => resizeMachine(ctx, { machineId: id, offeringId: (await makeOffering(db, bigger)).id }),
    },
    { kind: "SNAPSHOT_CREATE", from: "RUNNING", to: "RUNNING", run: (ctx, id) => createSnapshot(ctx, { machineId: id, name: "before-upgrade" }), params: { name: "before-upgrade" } },
    {
      kind: "SNAPSHOT_REVERT",
      from: "STOPPED",
      to: "STOPPED",
      run: async (ctx, id) => revertSnapshot(ctx, { machineId: id, snapshotId: (await db.snapshot.create({ data: { machineId: id, name: "s1" } })).id }),
    },
    {
      kind: "SNAPSHOT_DELETE",
      from: "RUNNING",
      to: "RUNNING",
      run: async (ctx, id) => deleteSnapshot(ctx, { machineId: id, snapshotId: (await db.snapshot.create({ data: { machineId: id, name: "s2" } })).id }),
    },
    {
      kind: "DELETE",
      from: "RUNNING",
      to: "DELETING",
      run: async (ctx, id) => deleteMachine(ctx, { machineId: id, confirmName: (await db.machine.findUniqueOrThrow({ where: { id } })).name }),
    },
  ];

  for (const c of cases) {
    it(`${c.kind}: ${c.from} -> ${c.to}, one Operation, one job, one audit event`, async () => {
      const m = await makeMachine(db, { projectId, ownerId, state: c.from });
      const result = (await c.run(member, m.id)) as { operationId: string; state: MachineState };
      expect(result.state).toBe(c.to);

      const after = await db.machine.findUniqueOrThrow({ where: { id: m.id } });
      expect(after.state).toBe(c.to);
      expect(after.version).toBe(m.version + 1);

      const ops = await db.operation.findMany({ where: { machineId: m.id } });
      expect(ops).toHaveLength(1);
      expect(ops[0]).toMatchObject({ id: result.operationId, kind: c.kind, status: "QUEUED", requestedById: ownerId, attempts: 0 });
      expect(ops[0].params).toMatchObject({ fromState: c.from, ...(c.params ?? {}) });
      if (c.kind === "RESIZE") expect((ops[0].params as { offeringId: string }).offeringId).toMatch(/^[0-9a-f-]{36}$/);
      if (c.kind.startsWith("SNAPSHOT_R") || c.kind === "SNAPSHOT_DELETE") expect((ops[0].params as { snapshotId: string }).snapshotId).toBeTruthy();

      const jobs = (await jobsFor(db)).filter((j) => j.queue_name === `machine:${m.id}`);
      expect(jobs).toHaveLength(1);
      expect(jobs[0].task_identifier).toBe("machine-operations");
      expect(jobs[0].payload).toEqual({ machineId: m.id });

      const audits = await db.auditEvent.findMany({ where: { targetId: m.id } });
      expect(audits.map((a) => a.action)).toEqual([`machine.${c.kind.toLowerCase()}`]);
      expect(audits[0].actorId).toBe(ownerId);
      expect(audits[0].projectId).toBe(projectId);
    });
  }
});

describe("refusals write nothing", () => {
  const invalid: [string, MachineState, (ctx: Ctx, id: string) => Promise<unknown>][] = [
    ["start a running machine", "RUNNING", (ctx, id) => startMachine(ctx, { machineId: id })],
    ["stop a stopped machine", "STOPPED", (ctx, id) => stopMachine(ctx, { machineId: id })],
    ["reboot a stopped machine", "STOPPED", (ctx, id) => rebootMachine(ctx, { machineId: id })],
    ["stop a machine that is starting", "STARTING", (ctx, id) => stopMachine(ctx, { machineId: id })],
    ["delete a machine being deleted", "DELETING", async (ctx, id) => deleteMachine(ctx, { machineId: id, confirmName: (await db.machine.findUniqueOrThrow({ where: { id } })).name })],
    ["snapshot a machine that is rebooting", "REBOOTING", (ctx, id) => createSnapshot(ctx, { machineId: id, name: "x" })],
    ["start a failed machine", "FAILED", (ctx, id) => startMachine(ctx, { machineId: id })],
  ];
  for (const [label, state, run] of invalid) {
    it(`${label}: CONFLICT`, async () => {
      const m = await makeMachine(db, { projectId, ownerId, state });
      const before = await snapshotOf(m.id);
      await expectError(run(member, m.id), "CONFLICT");
      expect(await snapshotOf(m.id)).toEqual(before);
    });
  }

  it("an action switched off for the project: FORBIDDEN with a clear message", async () => {
    const p = await makeProject(db);
    await db.project.update({ where: { id: p.id }, data: { disabledActions: ["STOP", "SNAPSHOT_CREATE"] } });
    await addMember(db, p.id, ownerId, "MEMBER");
    const ctx = await ctxFor(db, ownerId);
    const m = await makeMachine(db, { projectId: p.id, ownerId, state: "RUNNING" });
    const before = await snapshotOf(m.id);
    const err = await expectError(stopMachine(ctx, { machineId: m.id }), "FORBIDDEN");
    expect(err.message).toMatch(/Stop is switched off for project/);
    await expectError(createSnapshot(ctx, { machineId: m.id, name: "nightly" }), "FORBIDDEN");
    expect(await snapshotOf(m.id)).toEqual(before);
    // Other actions still work.
    await rebootMachine(ctx, { machineId: m.id });
    expect((await snapshotOf(m.id)).ops).toBe(1);
  });

  it("delete with a wrong confirmation name: VALIDATION on confirmName", async () => {
    const m = await makeMachine(db, { projectId, ownerId, state: "RUNNING", name: "web-01" });
    const before = await snapshotOf(m.id);
    const err = await expectError(deleteMachine(member, { machineId: m.id, confirmName: "web-1" }), "VALIDATION");
    expect(err.details?.fields?.confirmName).toBeTruthy();
    await expectError(deleteMachine(member, { machineId: m.id, confirmName: "WEB-01" }), "VALIDATION");
    expect(await snapshotOf(m.id)).toEqual(before);
  });

  it("unknown and foreign machine ids: NOT_FOUND", async () => {
    await expectError(startMachine(member, { machineId: randomUUID() }), "NOT_FOUND");
    await expectError(getMachine(member, { machineId: randomUUID() }), "NOT_FOUND");
    const foreign = await makeMachine(db, { projectId: otherProjectId, ownerId: outsider.actor.id, state: "STOPPED" });
    const before = await snapshotOf(foreign.id);
    await expectError(getMachine(member, { machineId: foreign.id }), "NOT_FOUND");
    await expectError(startMachine(member, { machineId: foreign.id }), "NOT_FOUND");
    await expectError(deleteMachine(member, { machineId: foreign.id, confirmName: foreign.name }), "NOT_FOUND");
    expect(await snapshotOf(foreign.id)).toEqual(before);
  });

  it("a member of another project can neither see nor operate", async () => {
    const m = await makeMachine(db, { projectId, ownerId, state: "RUNNING" });
    await expectError(getMachine(outsider, { machineId: m.id }), "NOT_FOUND");
    await expectError(stopMachine(outsider, { machineId: m.id }), "NOT_FOUND");
    await expectError(createSnapshot(outsider, { machineId: m.id, name: "x" }), "NOT_FOUND");
    expect((await snapshotOf(m.id)).ops).toBe(0);
  });

  it("a viewer can see but not operate", async () => {
    const m = await makeMachine(db, { projectId, ownerId, state: "RUNNING" });
    const seen = await getMachine(viewer, { machineId: m.id });
    expect(seen.canOperate).toBe(false);
    expect(Object.values(seen.actions).every((v) => v !== null)).toBe(true);
    await expectError(stopMachine(viewer, { machineId: m.id }), "FORBIDDEN");
    await expectError(rebootMachine(viewer, { machineId: m.id }), "FORBIDDEN");
    await expectError(deleteMachine(viewer, { machineId: m.id, confirmName: m.name }), "FORBIDDEN");
    expect((await snapshotOf(m.id)).ops).toBe(0);
  });

  it("an administrator may operate any project's machine", async () => {
    const m = await makeMachine(db, { projectId: otherProjectId, ownerId: outsider.actor.id, state: "RUNNING" });
    await stopMachine(admin, { machineId: m.id });
    expect((await snapshotOf(m.id)).state).toBe("STOPPING");
  });

  it("two concurrent requests on one machine: one wins, the other CONFLICTs", async () => {
    const m = await makeMachine(db, { projectId, ownerId, state: "RUNNING" });
    const results = await Promise.allSettled([stopMachine(member, { machineId: m.id }), rebootMachine(member, { machineId: m.id })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((rejected.reason as AppError).code).toBe("CONFLICT");
    const s = await snapshotOf(m.id);
    expect(s.ops).toBe(1);
    expect(s.jobs).toBe(1);
  });
});

describe("resize", () => {
  it("checks the quota delta against the project", async () => {
    const p = await makeProject(db, { quotaVcpu: 4 });
    await addMember(db, p.id, ownerId, "MEMBER");
    const ctx = await ctxFor(db, ownerId);
    const small = await makeOffering(db, { vcpu: 2, diskGb: 50 });
    await db.project.update({ where: { id: p.id }, data: { usedVcpu: 2 } });
    const m = await makeMachine(db, { projectId: p.id, ownerId, state: "RUNNING", offeringId: small.id });
    const huge = await makeOffering(db, { vcpu: 8, diskGb: 50 });
    const before = await snapshotOf(m.id);
    const err = await expectError(resizeMachine(ctx, { machineId: m.id, offeringId: huge.id }), "QUOTA_EXCEEDED");
    expect(err.details?.resources).toEqual(["vcpu"]);
    expect(await snapshotOf(m.id)).toEqual(before);
    // 2 used + (4 - 2) = 4 fits exactly.
    const fits = await makeOffering(db, { vcpu: 4, diskGb: 50 });
    await resizeMachine(ctx, { machineId: m.id, offeringId: fits.id });
    expect((await snapshotOf(m.id)).state).toBe("RESIZING");
  });

  it("refuses inactive offerings, the same offering and a smaller disk", async () => {
    const m = await makeMachine(db, { projectId, ownerId, state: "RUNNING", offeringId: (await makeOffering(db, { diskGb: 100 })).id });
    const before = await snapshotOf(m.id);
    const inactive = await makeOffering(db, { active: false });
    const smallDisk = await makeOffering(db, { diskGb: 40, vcpu: 8 });
    for (const offeringId of [inactive.id, m.offeringId, smallDisk.id, randomUUID()]) {
      const err = await expectError(resizeMachine(member, { machineId: m.id, offeringId }), "VALIDATION");
      expect(err.details?.fields?.offeringId).toBeTruthy();
    }
    expect(await snapshotOf(m.id)).toEqual(before);
  });
});

describe("snapshots", () => {
  it("are refused where the provider has no snapshot capability", async () => {
    const m = await makeMachine(db, { projectId, ownerId, state: "RUNNING", providerKind: "DOCKER" });
    const before = await snapshotOf(m.id);
    const err = await expectError(createSnapshot(member, { machineId: m.id, name: "nightly" }), "CONFLICT");
    expect(err.message).toMatch(/not supported/);
    expect(await snapshotOf(m.id)).toEqual(before);
    const detail = await getMachine(member, { machineId: m.id });
    expect(detail.actions.SNAPSHOT_CREATE).toBe("capability");
    expect(detail.actions.STOP).toBeNull();
  });

  it("names are unique per machine, counting snapshots still being taken", async () => {
    const m = await makeMachine(db, { projectId, ownerId, state: "RUNNING" });
    await db.snapshot.create({ data: { machineId: m.id, name: "existing" } });
    const err = await expectError(createSnapshot(member, { machineId: m.id, name: "existing" }), "VALIDATION");
    expect(err.details?.fields?.name).toBeTruthy();
    await createSnapshot(member, { machineId: m.id, name: "pending" });
    await expectError(createSnapshot(member, { machineId: m.id, name: "pending" }), "VALIDATION");
    expect((await snapshotOf(m.id)).ops).toBe(1);
    // Another machine may reuse the name.
    const other = await makeMachine(db, { projectId, ownerId, state: "RUNNING" });
    await createSnapshot(member, { machineId: other.id, name: "existing" });
  });

  it("a snapshot of another machine is NOT_FOUND", async () => {
    const a = await makeMachine(db, { projectId, ownerId, state: "RUNNING" });
    const b = await makeMachine(db, { projectId, ownerId, state: "RUNNING" });
    const s = await db.snapshot.create({ data: { machineId: b.id, name: "b-snap" } });
    await expectError(revertSnapshot(member, { machineId: a.id, snapshotId: s.id }), "NOT_FOUND");
    await expectError(deleteSnapshot(member, { machineId: a.id, snapshotId: s.id }), "NOT_FOUND");
    expect((await snapshotOf(a.id)).ops).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeUser } from "../../test/factories";
import { AppError, validationError, zodFieldErrors } from "../errors";
import type { Ctx } from "../context";
import { makeWorld, rowCounts, submitRaw, uniqueName } from "../requests/testing";
import { approveRequest } from "./approve-request";
import { rejectRequest } from "./reject-request";
import { listPendingApprovals } from "./list-pending-approvals";
import { rejectRequestSchema } from "./schemas";

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});

async function expectAppError(fn: () => Promise<unknown>, code: string): Promise<AppError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code, (err as AppError).message).toBe(code);
    return err as AppError;
  }
  throw new Error(`expected ${code}, but it succeeded`);
}

/** What the reject server action does: parse with the shared schema, then call the verb. */
async function rejectRaw(ctx: Ctx, raw: unknown) {
  const parsed = rejectRequestSchema.safeParse(raw);
  if (!parsed.success) throw validationError(zodFieldErrors(parsed.error));
  return rejectRequest(ctx, parsed.data);
}

type World = Awaited<ReturnType<typeof makeWorld>>;
const submit = (w: World, quantity = 1, opts: { ctx?: Ctx; leaseEndsAt?: string } = {}) =>
  submitRaw(opts.ctx ?? w.memberCtx, {
    projectId: w.project.id,
    offeringId: w.offering.id,
    templateId: w.template.id,
    quantity,
    name: uniqueName("m"),
    leaseEndsAt: opts.leaseEndsAt,
  });

interface JobRow {
  task_identifier: string;
  queue_name: string | null;
  key: string | null;
  payload: { machineId: string };
}
/** The jobs of these operations' machines (one job per machine runs its operations in order). */
const jobsFor = (w: World, operationIds: string[]) =>
  tdb.db.$queryRaw<JobRow[]>`
    select j.task_identifier, j.queue_name, j.key, p.payload
      from graphile_worker.jobs j join graphile_worker._private_jobs p on p.id = j.id
     where p.payload->>'machineId' in (select "machineId"::text from "Operation" where id::text = any(${operationIds}::text[]))`;

describe("approveRequest", () => {
  it("approves: machines in REQUESTED, queued PROVISION operations with their jobs, quota, audit, notification", async () => {
    const db = tdb.db;
    const w = await makeWorld(db, { offering: { vcpu: 2, memoryMb: 4096, diskGb: 50, diskTier: "SSD", monthlyPriceCents: 3000 } });
    const lease = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const req = await submit(w, 3, { leaseEndsAt: lease });
    const res = await approveRequest(w.approverCtx, { requestId: req.id });

    const row = await db.request.findUniqueOrThrow({ where: { id: req.id } });
    expect(row).toMatchObject({ status: "APPROVED", decidedById: w.approver.id, autoApproved: false });

    const machines = await db.machine.findMany({ where: { requestId: req.id }, orderBy: { name: "asc" } });
    expect(machines.map((m) => m.name)).toEqual(row.names);
    for (const m of machines) {
      expect(m).toMatchObject({ state: "REQUESTED", ownerId: w.member.id, projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id });
      expect(m.leaseEndsAt?.toISOString()).toBe(`${lease}T23:59:59.999Z`);
    }
    expect(res.machineIds.sort()).toEqual(machines.map((m) => m.id).sort());

    const ops = await db.operation.findMany({ where: { machineId: { in: res.machineIds } } });
    expect(ops).toHaveLength(3);
    for (const op of ops) expect(op).toMatchObject({ kind: "PROVISION", status: "QUEUED", params: { fromState: "REQUESTED" }, requestedById: w.approver.id });

    // graphile-worker 0.17: the public `jobs` view over `_private_jobs` (the payload lives there).
    const jobs = await jobsFor(w, ops.map((o) => o.id));
    expect(jobs).toHaveLength(3);
    for (const op of ops) {
      const job = jobs.find((j) => j.payload.machineId === op.machineId);
      expect(job).toMatchObject({ task_identifier: "machine-operations", queue_name: `machine:${op.machineId}`, key: `machine-ops:${op.machineId}` });
    }

    const project = await db.project.findUniqueOrThrow({ where: { id: w.project.id } });
    expect(project).toMatchObject({ usedVcpu: 6, usedMemoryMb: 3 * 4096, usedDiskSsdGb: 150, usedDiskHddGb: 0, usedMachines: 3, usedMonthlyCents: 9000 });

    const audit = await db.auditEvent.findMany({ where: { targetId: req.id, action: "request.approve" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: w.approver.id, projectId: w.project.id });
    const notes = await db.notification.findMany({ where: { userId: w.member.id } });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: "request.approved", link: `/requests/${row.number}`, params: { requestNumber: row.number, quantity: 3 } });
  });

  it("a second decision is a CONFLICT (already decided) and writes nothing", async () => {
    const db = tdb.db;
    const w = await makeWorld(db);
    const req = await submit(w);
    await approveRequest(w.approverCtx, { requestId: req.id });
    const before = await rowCounts(db);
    const err = await expectAppError(() => approveRequest(w.approverCtx, { requestId: req.id }), "CONFLICT");
    expect(err.message).toMatch(/already been decided/);
    await expectAppError(() => rejectRaw(w.approverCtx, { requestId: req.id, reason: "too late" }), "CONFLICT");
    expect(await rowCounts(db)).toEqual(before);
  });

  it("an administrator approves in any project, without being a member", async () => {
    const db = tdb.db;
    const w = await makeWorld(db);
    const admin = await makeUser(db, { role: "ADMIN" });
    const req = await submit(w);
    await approveRequest(await ctxFor(db, admin.id), { requestId: req.id });
    expect((await db.request.findUniqueOrThrow({ where: { id: req.id } })).decidedById).toBe(admin.id);
  });

  it("nobody decides their own request, not even an administrator", async () => {
    const db = tdb.db;
    const w = await makeWorld(db);
    const own = await submit(w, 1, { ctx: w.approverCtx });
    const before = await rowCounts(db);
    const e1 = await expectAppError(() => approveRequest(w.approverCtx, { requestId: own.id }), "FORBIDDEN");
    expect(e1.message).toMatch(/your own request/);
    await expectAppError(() => rejectRaw(w.approverCtx, { requestId: own.id, reason: "no" }), "FORBIDDEN");

    const admin = await makeUser(db, { role: "ADMIN" });
    await addMember(db, w.project.id, admin.id, "MEMBER");
    const adminCtx = await ctxFor(db, admin.id);
    const adminOwn = await submit(w, 1, { ctx: adminCtx });
    const before2 = await rowCounts(db);
    await expectAppError(() => approveRequest(adminCtx, { requestId: adminOwn.id }), "FORBIDDEN");
    expect(await rowCounts(db)).toEqual(before2);
    expect(before2.requests).toBe(before.requests + 1);
    // Another approver may.
    await approveRequest(w.approverCtx, { requestId: adminOwn.id });
  });

  it("a member calling approve or reject directly is FORBIDDEN; a viewer too", async () => {
    const db = tdb.db;
    const w = await makeWorld(db);
    const colleague = await makeUser(db);
    await addMember(db, w.project.id, colleague.id, "MEMBER");
    const viewer = await makeUser(db);
    await addMember(db, w.project.id, viewer.id, "VIEWER");
    const req = await submit(w);
    const before = await rowCounts(db);
    for (const userId of [colleague.id, viewer.id]) {
      const ctx = await ctxFor(db, userId);
      await expectAppError(() => approveRequest(ctx, { requestId: req.id }), "FORBIDDEN");
      await expectAppError(() => rejectRaw(ctx, { requestId: req.id, reason: "no" }), "FORBIDDEN");
    }
    expect(await rowCounts(db)).toEqual(before);
  });

  it("requests of projects the actor cannot see, and unknown ids, are NOT_FOUND", async () => {
    const db = tdb.db;
    const w = await makeWorld(db);
    const elsewhere = await makeWorld(db);
    const req = await submit(w);
    await expectAppError(() => approveRequest(elsewhere.approverCtx, { requestId: req.id }), "NOT_FOUND");
    await expectAppError(() => rejectRaw(elsewhere.approverCtx, { requestId: req.id, reason: "no" }), "NOT_FOUND");
    await expectAppError(() => approveRequest(w.approverCtx, { requestId: crypto.randomUUID() }), "NOT_FOUND");
    expect((await db.request.findUniqueOrThrow({ where: { id: req.id } })).status).toBe("PENDING_APPROVAL");
  });

  it("over quota at approval: QUOTA_EXCEEDED naming the resource, the request stays pending, nothing written", async () => {
    const db = tdb.db;
    const w = await makeWorld(db, { project: { quotaVcpu: 4, monthlyBudgetCents: 100_000 }, offering: { vcpu: 2 } });
    const [a, b, c] = [await submit(w), await submit(w), await submit(w)];
    await approveRequest(w.approverCtx, { requestId: a.id });
    await approveRequest(w.approverCtx, { requestId: b.id });
    const before = await rowCounts(db);
    const projectBefore = await db.project.findUniqueOrThrow({ where: { id: w.project.id } });
    const err = await expectAppError(() => approveRequest(w.approverCtx, { requestId: c.id }), "QUOTA_EXCEEDED");
    expect(err.details?.resources).toEqual(["vcpu"]);
    expect(await rowCounts(db)).toEqual(before);
    expect(await db.project.findUniqueOrThrow({ where: { id: w.project.id } })).toEqual(projectBefore);
    expect((await db.request.findUniqueOrThrow({ where: { id: c.id } })).status).toBe("PENDING_APPROVAL");
  });

  it("the monthly budget is a limit too", async () => {
    const db = tdb.db;
    const w = await makeWorld(db, { project: { monthlyBudgetCents: 5000 }, offering: { monthlyPriceCents: 3000 } });
    const [a, b] = [await submit(w), await submit(w)];
    await approveRequest(w.approverCtx, { requestId: a.id });
    const err = await expectAppError(() => approveRequest(w.approverCtx, { requestId: b.id }), "QUOTA_EXCEEDED");
    expect(err.details?.resources).toEqual(["budget"]);
  });

  it("the race: 50 concurrent approvals never exceed the quota; exactly what fits is approved", async () => {
    const db = tdb.db;
    // 2 vCPU per request, 35 vCPU quota: 17 requests fit, 33 must be refused.
    const w = await makeWorld(db, { project: { quotaVcpu: 35, quotaMachines: 100 }, offering: { vcpu: 2, monthlyPriceCents: 1234 } });
    const requests = [];
    for (let i = 0; i < 50; i++) requests.push(await submit(w));
    const approvers: Ctx[] = [];
    for (let i = 0; i < 50; i++) {
      const u = await makeUser(db);
      await addMember(db, w.project.id, u.id, "APPROVER");
      approvers.push(await ctxFor(db, u.id));
    }
    const results = await Promise.allSettled(requests.map((r, i) => approveRequest(approvers[i], { requestId: r.id })));
    const approved = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(AppError);
      expect((r.reason as AppError).code, String(r.reason)).toBe("QUOTA_EXCEEDED");
      expect((r.reason as AppError).details?.resources).toEqual(["vcpu"]);
    }
    expect(approved).toHaveLength(17);
    expect(refused).toHaveLength(33);

    const project = await db.project.findUniqueOrThrow({ where: { id: w.project.id } });
    expect(project.usedVcpu).toBeLessThanOrEqual(project.quotaVcpu);
    const approvedRows = await db.request.findMany({ where: { projectId: w.project.id, status: "APPROVED" } });
    expect(approvedRows).toHaveLength(17);
    expect(project.usedVcpu).toBe(approvedRows.reduce((n, r) => n + r.quantity * 2, 0));
    expect(project.usedMachines).toBe(approvedRows.reduce((n, r) => n + r.quantity, 0));
    expect(project.usedMonthlyCents).toBe(approvedRows.reduce((n, r) => n + r.monthlyCostCents, 0));
    expect(await db.request.count({ where: { projectId: w.project.id, status: "PENDING_APPROVAL" } })).toBe(33);
    const machines = await db.machine.findMany({ where: { projectId: w.project.id } });
    expect(machines).toHaveLength(17);
    expect(new Set(machines.map((m) => m.requestId))).toEqual(new Set(approvedRows.map((r) => r.id)));
    const ops = await db.operation.findMany({ where: { machineId: { in: machines.map((m) => m.id) } } });
    expect(ops).toHaveLength(17);
    expect(await jobsFor(w, ops.map((o) => o.id))).toHaveLength(17);
    expect(await db.auditEvent.count({ where: { projectId: w.project.id, action: "request.approve" } })).toBe(17);
  });
});

describe("rejectRequest", () => {
  it("needs a reason: empty or blank is a field error and writes nothing", async () => {
    const db = tdb.db;
    const w = await makeWorld(db);
    const req = await submit(w);
    const before = await rowCounts(db);
    for (const reason of [undefined, "", "   "]) {
      const err = await expectAppError(() => rejectRaw(w.approverCtx, { requestId: req.id, reason }), "VALIDATION");
      expect(err.details?.fields).toEqual({ reason: ["reasonRequired"] });
    }
    const long = await expectAppError(() => rejectRaw(w.approverCtx, { requestId: req.id, reason: "x".repeat(2001) }), "VALIDATION");
    expect(long.details?.fields).toEqual({ reason: ["reasonTooLong"] });
    expect(await rowCounts(db)).toEqual(before);
  });

  it("rejects with the reason, audits and notifies the requester; no machines, no quota", async () => {
    const db = tdb.db;
    const w = await makeWorld(db);
    const req = await submit(w, 2);
    await rejectRaw(w.approverCtx, { requestId: req.id, reason: "  Use the shared staging cluster instead  " });
    const row = await db.request.findUniqueOrThrow({ where: { id: req.id } });
    expect(row).toMatchObject({ status: "REJECTED", decisionReason: "Use the shared staging cluster instead", decidedById: w.approver.id });
    expect(await db.machine.count({ where: { requestId: req.id } })).toBe(0);
    expect((await db.project.findUniqueOrThrow({ where: { id: w.project.id } })).usedVcpu).toBe(0);
    const audit = await db.auditEvent.findMany({ where: { targetId: req.id, action: "request.reject" } });
    expect(audit).toHaveLength(1);
    expect(audit[0].actorId).toBe(w.approver.id);
    const notes = await db.notification.findMany({ where: { userId: w.member.id } });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: "request.rejected", params: { reason: "Use the shared staging cluster instead" } });
  });
});

describe("listPendingApprovals", () => {
  it("shows pending requests of the approver's projects only, marking their own; members are FORBIDDEN", async () => {
    const db = tdb.db;
    const w = await makeWorld(db);
    const elsewhere = await makeWorld(db);
    const mine = await submit(w);
    const own = await submit(w, 1, { ctx: w.approverCtx });
    const decided = await submit(w);
    await rejectRaw(w.approverCtx, { requestId: decided.id, reason: "no" });
    const foreign = await submit(elsewhere);
    const list = await listPendingApprovals(w.approverCtx, { page: 1 });
    const ids = list.items.map((i) => i.id);
    expect(ids).toEqual([mine.id, own.id]);
    expect(list.items.find((i) => i.id === own.id)?.ownRequest).toBe(true);
    expect(list.items.find((i) => i.id === mine.id)).toMatchObject({ ownRequest: false, requester: { id: w.member.id } });
    expect(ids).not.toContain(foreign.id);
    await expectAppError(() => listPendingApprovals(w.memberCtx, { page: 1 }), "FORBIDDEN");

    const admin = await makeUser(db, { role: "ADMIN" });
    const adminCtx = await ctxFor(db, admin.id);
    const first = await listPendingApprovals(adminCtx, { page: 1 });
    expect(first.total).toBe(await db.request.count({ where: { status: "PENDING_APPROVAL" } }));
    const all = [...first.items];
    for (let p = 2; p <= first.pageCount; p++) all.push(...(await listPendingApprovals(adminCtx, { page: p })).items);
    expect(all).toHaveLength(first.total);
    expect(all.map((i) => i.id)).toEqual(expect.arrayContaining([mine.id, own.id, foreign.id]));
  });
});

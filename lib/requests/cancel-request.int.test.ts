import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeUser } from "../../test/factories";
import { AppError } from "../errors";
import { approveRequest } from "../approvals/approve-request";
import { rejectRequest } from "../approvals/reject-request";
import { cancelRequest } from "./cancel-request";
import { listMyRequests } from "./list-my-requests";
import { makeWorld, rowCounts, submitRaw, uniqueName } from "./testing";

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

type World = Awaited<ReturnType<typeof makeWorld>>;
const submit = (w: World) =>
  submitRaw(w.memberCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 1, name: uniqueName() });

describe("cancelRequest", () => {
  it("the requester cancels their pending request, with an audit event", async () => {
    const db = tdb.db;
    const w = await makeWorld(db);
    const req = await submit(w);
    await cancelRequest(w.memberCtx, { requestId: req.id });
    expect((await db.request.findUniqueOrThrow({ where: { id: req.id } })).status).toBe("CANCELLED");
    const audit = await db.auditEvent.findMany({ where: { targetId: req.id, action: "request.cancel" } });
    expect(audit).toHaveLength(1);
    expect(audit[0].actorId).toBe(w.member.id);
  });

  it("only the requester: colleagues and approvers get FORBIDDEN, outsiders NOT_FOUND", async () => {
    const db = tdb.db;
    const w = await makeWorld(db);
    const colleague = await makeUser(db);
    await addMember(db, w.project.id, colleague.id, "MEMBER");
    const admin = await makeUser(db, { role: "ADMIN" });
    const outsider = await makeWorld(db);
    const req = await submit(w);
    const before = await rowCounts(db);
    const e = await expectAppError(async () => cancelRequest(await ctxFor(db, colleague.id), { requestId: req.id }), "FORBIDDEN");
    expect(e.message).toMatch(/Only the person who made a request/);
    await expectAppError(() => cancelRequest(w.approverCtx, { requestId: req.id }), "FORBIDDEN");
    await expectAppError(async () => cancelRequest(await ctxFor(db, admin.id), { requestId: req.id }), "FORBIDDEN");
    await expectAppError(() => cancelRequest(outsider.memberCtx, { requestId: req.id }), "NOT_FOUND");
    await expectAppError(() => cancelRequest(w.memberCtx, { requestId: crypto.randomUUID() }), "NOT_FOUND");
    expect(await rowCounts(db)).toEqual(before);
  });

  it("only pending: approved, rejected and cancelled requests are a CONFLICT", async () => {
    const db = tdb.db;
    const w = await makeWorld(db);
    const approved = await submit(w);
    await approveRequest(w.approverCtx, { requestId: approved.id });
    const rejected = await submit(w);
    await rejectRequest(w.approverCtx, { requestId: rejected.id, reason: "no" });
    const cancelled = await submit(w);
    await cancelRequest(w.memberCtx, { requestId: cancelled.id });
    const before = await rowCounts(db);
    for (const r of [approved, rejected, cancelled]) await expectAppError(() => cancelRequest(w.memberCtx, { requestId: r.id }), "CONFLICT");
    expect(await rowCounts(db)).toEqual(before);
    // And a cancelled request cannot be approved afterwards.
    await expectAppError(() => approveRequest(w.approverCtx, { requestId: cancelled.id }), "CONFLICT");
  });
});

describe("listMyRequests", () => {
  it("lists only the user's own requests, newest first, filtered by status and paginated", async () => {
    const db = tdb.db;
    const w = await makeWorld(db);
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) ids.push((await submit(w)).id);
    await submitRaw(w.approverCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 1, name: uniqueName() });
    await cancelRequest(w.memberCtx, { requestId: ids[0] });

    const p1 = await listMyRequests(w.memberCtx, { page: 1 });
    expect(p1.total).toBe(23);
    expect(p1.pageCount).toBe(2);
    expect(p1.items).toHaveLength(20);
    expect(p1.items[0].id).toBe(ids[22]);
    const p2 = await listMyRequests(w.memberCtx, { page: 2 });
    expect(p2.items.map((i) => i.id)).toEqual([ids[2], ids[1], ids[0]]);
    const cancelled = await listMyRequests(w.memberCtx, { page: 1, status: "CANCELLED" });
    expect(cancelled.items.map((i) => i.id)).toEqual([ids[0]]);
    expect(cancelled.items[0]).toMatchObject({ cancellable: false, project: { id: w.project.id }, offering: { id: w.offering.id }, template: { id: w.template.id } });
    // A page past the end shows the last page.
    expect((await listMyRequests(w.memberCtx, { page: 9 })).page).toBe(2);
  });
});

// The request page's service side: the detail (timeline facts, who may do what), comments that
// notify the other side, and resubmission of a rejected request with the same values.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeUser } from "../../test/factories";
import { AppError } from "../errors";
import { approveRequest } from "../approvals/approve-request";
import { rejectRequest } from "../approvals/reject-request";
import { makeWorld, submitRaw, uniqueName } from "./testing";
import { getRequestPage } from "./get-request-page";
import { addRequestComment } from "./add-request-comment";
import { resubmitRequest } from "./resubmit-request";

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
const submit = (w: World, quantity = 1) =>
  submitRaw(w.memberCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity, name: uniqueName("rq"), justification: "CI runners" });

describe("request page", () => {
  it("shows the request to its project only; the timeline has the machines and their provisioning", async () => {
    const db = tdb.db;
    const w = await makeWorld(db);
    const r = await submit(w, 2);
    const pending = await getRequestPage(w.memberCtx, { number: r.number });
    expect(pending).toMatchObject({ number: r.number, status: "PENDING_APPROVAL", quantity: 2, machines: [], busy: true });
    expect(pending.can).toEqual({ comment: true, decide: false, cancel: true, resubmit: false });
    expect((await getRequestPage(w.approverCtx, { number: r.number })).can).toMatchObject({ comment: true, decide: true });
    // Someone outside the project: not found.
    const stranger = await makeUser(db);
    const strangerCtx = await ctxFor(db, stranger.id);
    await expectAppError(() => getRequestPage(strangerCtx, { number: r.number }), "NOT_FOUND");
    await expectAppError(() => getRequestPage(w.memberCtx, { number: 2_000_000 }), "NOT_FOUND");

    await approveRequest(w.approverCtx, { requestId: r.id });
    const approved = await getRequestPage(w.memberCtx, { number: r.number });
    expect(approved.status).toBe("APPROVED");
    expect(approved.decidedBy?.id).toBe(w.approver.id);
    expect(approved.machines).toHaveLength(2);
    for (const m of approved.machines) expect(m.operations.map((o) => [o.kind, o.status])).toEqual([["PROVISION", "QUEUED"]]);
    // A failed provisioning says why, in plain words.
    const m0 = approved.machines[0];
    await db.operation.update({ where: { id: m0.operations[0].id }, data: { status: "FAILED", error: "No host had room for 2 vCPU", finishedAt: new Date() } });
    const failed = await getRequestPage(w.memberCtx, { number: r.number });
    expect(failed.machines.find((m) => m.id === m0.id)?.operations[0]).toMatchObject({ status: "FAILED", error: "No host had room for 2 vCPU" });
  });

  it("comments: each side notifies the other; outsiders and viewers may not comment; empty comments are refused", async () => {
    const db = tdb.db;
    const w = await makeWorld(db);
    const approver2 = await makeUser(db);
    await addMember(db, w.project.id, approver2.id, "APPROVER");
    const viewer = await makeUser(db);
    await addMember(db, w.project.id, viewer.id, "VIEWER");
    const r = await submit(w);

    const q = await addRequestComment(w.approverCtx, { requestId: r.id, body: "Why two vCPU for a runner?" });
    expect(q.notified).toBe(1);
    const toRequester = await db.notification.findMany({ where: { userId: w.member.id, kind: "request.commented" } });
    expect(toRequester).toHaveLength(1);
    expect(toRequester[0]).toMatchObject({ link: `/requests/${r.number}`, params: { requestNumber: r.number, authorName: w.approver.name } });

    const a = await addRequestComment(w.memberCtx, { requestId: r.id, body: "  The builds run in parallel.  " });
    // The requester's comment reaches every approver of the project (the one who asked included), never the author.
    expect(a.notified).toBe(2);
    expect(await db.notification.count({ where: { userId: w.approver.id, kind: "request.commented" } })).toBe(1);
    expect(await db.notification.count({ where: { userId: approver2.id, kind: "request.commented" } })).toBe(1);
    expect(await db.notification.count({ where: { userId: w.member.id, kind: "request.commented" } })).toBe(1);

    const page = await getRequestPage(w.approverCtx, { number: r.number });
    expect(page.comments.map((c) => [c.author, c.body, c.fromRequester])).toEqual([
      [w.approver.name, "Why two vCPU for a runner?", false],
      [w.member.name, "The builds run in parallel.", true],
    ]);
    await expectAppError(() => addRequestComment(w.memberCtx, { requestId: r.id, body: "   " }), "VALIDATION");
    const viewerCtx = await ctxFor(db, viewer.id);
    await expectAppError(() => addRequestComment(viewerCtx, { requestId: r.id, body: "hi" }), "FORBIDDEN");
    const strangerCtx = await ctxFor(db, (await makeUser(db)).id);
    await expectAppError(() => addRequestComment(strangerCtx, { requestId: r.id, body: "hi" }), "NOT_FOUND");
    expect(await db.requestComment.count({ where: { requestId: r.id } })).toBe(2);
  });

  it("resubmits a rejected request with the same values, linked to it; refuses what is not closed or not the requester's", async () => {
    const db = tdb.db;
    const w = await makeWorld(db);
    const r = await submit(w, 2);
    await expectAppError(() => resubmitRequest(w.memberCtx, { requestId: r.id }), "CONFLICT");
    await rejectRequest(w.approverCtx, { requestId: r.id, reason: "Use the shared runners" });
    await expectAppError(() => resubmitRequest(w.approverCtx, { requestId: r.id }), "FORBIDDEN");
    const again = await resubmitRequest(w.memberCtx, { requestId: r.id });
    expect(again).toMatchObject({ status: "PENDING_APPROVAL", resubmittedFrom: r.number });
    const [oldRow, newRow] = await Promise.all([db.request.findUniqueOrThrow({ where: { id: r.id } }), db.request.findUniqueOrThrow({ where: { id: again.id } })]);
    expect(newRow).toMatchObject({ resubmittedFromId: r.id, projectId: oldRow.projectId, offeringId: oldRow.offeringId, templateId: oldRow.templateId, quantity: 2, names: oldRow.names, justification: "CI runners" });
    expect((await getRequestPage(w.memberCtx, { number: r.number })).resubmissions).toEqual([again.number]);
    // Its names are claimed by the open copy now: a second resubmission says so on the names.
    const second = await expectAppError(() => resubmitRequest(w.memberCtx, { requestId: r.id }), "VALIDATION");
    expect(second.details?.fields).toEqual({ names: ["nameTaken"] });
  });

  it("says which value changed when one is no longer valid", async () => {
    const db = tdb.db;
    const w = await makeWorld(db);
    const r = await submit(w);
    await rejectRequest(w.approverCtx, { requestId: r.id, reason: "later" });
    await db.offering.update({ where: { id: w.offering.id }, data: { active: false } });
    const err = await expectAppError(() => resubmitRequest(w.memberCtx, { requestId: r.id }), "VALIDATION");
    expect(err.details?.fields).toEqual({ offeringId: ["offeringWithdrawn"] });
    await db.offering.update({ where: { id: w.offering.id }, data: { active: true } });
    // The template's image gone from every provider: refused as infeasible.
    await db.templateProviderRef.deleteMany({ where: { templateId: w.template.id } });
    const infeasible = await expectAppError(() => resubmitRequest(w.memberCtx, { requestId: r.id }), "VALIDATION");
    expect(infeasible.details?.fields).toEqual({ templateId: ["templateUnavailable"] });
  });
});

// Bulk approve / bulk reject from the approvals queue: every request through the single
// decision (permission, stage, own request, already decided), one audit event per decided
// request, skipped ones reported with their reason; two approvers bulk-approving the same
// staged requests at once decide each stage once. And the request lists' order, search and
// keyset pages (stable when many rows share the sort key).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeProject, makeUser } from "../../test/factories";
import { AppError } from "../errors";
import type { Ctx } from "../context";
import { makeWorld, submitRaw, uniqueName } from "../requests/testing";
import { listMyRequests } from "../requests/list-my-requests";
import { listMyRequestsSchema } from "../requests/schemas";
import { rejectRequest } from "./reject-request";
import { bulkDecide } from "./bulk-decide";
import { listPendingApprovals } from "./list-pending-approvals";
import { listPendingApprovalsSchema } from "./schemas";
import { setApprovalStages } from "./set-approval-stages";
import { listUsers } from "../users/list-users";
import { exportUsers } from "../users/export-users";
import { listUsersSchema } from "../users/schemas";

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});

type World = Awaited<ReturnType<typeof makeWorld>>;
const submit = (w: World, ctx: Ctx = w.memberCtx, projectId = w.project.id) =>
  submitRaw(ctx, { projectId, offeringId: w.offering.id, templateId: w.template.id, quantity: 1, name: uniqueName("bk") });
const audits = (action: string, targetId: string) => tdb.db.auditEvent.count({ where: { action, targetId } });

describe("bulk decisions", () => {
  it("approves what the approver may decide and skips the rest with reasons, one audit event per decided request", async () => {
    const db = tdb.db;
    const w = await makeWorld(db);
    // Another project where the approver is only a member: visible, not decidable.
    const other = await makeProject(db);
    await addMember(db, other.id, w.member.id, "MEMBER");
    await addMember(db, other.id, w.approver.id, "MEMBER");
    // A project the approver is not in at all: hidden.
    const hidden = await makeProject(db);
    await addMember(db, hidden.id, w.member.id, "MEMBER");
    // Roles are read when a context is made.
    w.memberCtx = await ctxFor(db, w.member.id);
    w.approverCtx = await ctxFor(db, w.approver.id);

    const decidable = await submit(w);
    const own = await submit(w, w.approverCtx);
    const notMine = await submit(w, w.memberCtx, other.id);
    const invisible = await submit(w, w.memberCtx, hidden.id);
    const decided = await submit(w);
    const admin = await makeUser(db, { role: "ADMIN" });
    await rejectRequest(await ctxFor(db, admin.id), { requestId: decided.id, reason: "earlier" });

    const r = await bulkDecide(w.approverCtx, { decision: "approve", requestIds: [decidable.id, own.id, notMine.id, invisible.id, decided.id] });
    expect(r.decided).toBe(1);
    expect(r.skipped).toBe(4);
    expect(r.results.map((x) => (x.ok ? "ok" : x.code))).toEqual(["ok", "FORBIDDEN", "FORBIDDEN", "NOT_FOUND", "CONFLICT"]);
    expect(r.results[0]).toMatchObject({ requestId: decidable.id, number: decidable.number, status: "APPROVED" });
    // The hidden request's number is not told.
    expect(r.results[3]).toMatchObject({ requestId: invisible.id, number: null });
    expect(r.results[1]).toMatchObject({ number: own.number, reason: expect.stringMatching(/own request/) });

    const statuses = Object.fromEntries((await db.request.findMany({ where: { id: { in: [decidable.id, own.id, notMine.id, invisible.id, decided.id] } } })).map((x) => [x.id, x.status]));
    expect(statuses).toEqual({ [decidable.id]: "APPROVED", [own.id]: "PENDING_APPROVAL", [notMine.id]: "PENDING_APPROVAL", [invisible.id]: "PENDING_APPROVAL", [decided.id]: "REJECTED" });
    expect(await db.machine.count({ where: { requestId: decidable.id } })).toBe(1);
    expect(await audits("request.approve", decidable.id)).toBe(1);
    for (const id of [own.id, notMine.id, invisible.id, decided.id]) expect(await audits("request.approve", id)).toBe(0);
  });

  it("rejects with the reason every requester sees; refuses a rejection without a reason and bad lists", async () => {
    const db = tdb.db;
    const w = await makeWorld(db);
    const [a, b] = [await submit(w), await submit(w)];
    for (const bad of [
      { decision: "reject", requestIds: [a.id] },
      { decision: "reject", requestIds: [a.id], reason: "   " },
      { decision: "approve", requestIds: [] },
      { decision: "approve", requestIds: [a.id, a.id] },
      { decision: "approve", requestIds: ["not-a-uuid"] },
      { decision: "maybe", requestIds: [a.id] },
    ]) {
      const err = await bulkDecide(w.approverCtx, bad as never).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, JSON.stringify(bad)).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe("VALIDATION");
    }
    expect((await db.request.findMany({ where: { id: { in: [a.id, b.id] } } })).map((x) => x.status)).toEqual(["PENDING_APPROVAL", "PENDING_APPROVAL"]);

    const r = await bulkDecide(w.approverCtx, { decision: "reject", requestIds: [a.id, b.id], reason: "Use the shared cluster" });
    expect(r).toMatchObject({ decided: 2, skipped: 0 });
    for (const x of [a, b]) {
      const row = await db.request.findUniqueOrThrow({ where: { id: x.id } });
      expect(row).toMatchObject({ status: "REJECTED", decisionReason: "Use the shared cluster", decidedById: w.approver.id });
      expect(await audits("request.reject", x.id)).toBe(1);
      expect(await db.notification.count({ where: { userId: w.member.id, kind: "request.rejected", link: `/requests/${x.number}` } })).toBe(1);
    }
    // Again: both already decided, nothing more written.
    const again = await bulkDecide(w.approverCtx, { decision: "reject", requestIds: [a.id, b.id], reason: "again" });
    expect(again).toMatchObject({ decided: 0, skipped: 2 });
    expect(again.results.every((x) => !x.ok && x.code === "CONFLICT")).toBe(true);
    expect(await audits("request.reject", a.id)).toBe(1);
  });

  it("with stages, two approvers bulk-approving the same requests at once decide each stage once; the next stage is someone else's", async () => {
    const db = tdb.db;
    const w = await makeWorld(db, { offering: { monthlyPriceCents: 5000 } });
    const [finance, approver2, admin] = await Promise.all([makeUser(db), makeUser(db), makeUser(db, { role: "ADMIN" })]);
    await addMember(db, w.project.id, finance.id, "APPROVER");
    await addMember(db, w.project.id, approver2.id, "APPROVER");
    await setApprovalStages(await ctxFor(db, admin.id), {
      projectId: w.project.id,
      stages: [
        { name: "Team lead", allProjectApprovers: true, approverIds: [], minMonthlyCents: null },
        { name: "Finance", allProjectApprovers: false, approverIds: [finance.id], minMonthlyCents: null },
      ],
    });
    const reqs = [];
    for (let i = 0; i < 6; i++) reqs.push(await submit(w));
    const ids = reqs.map((r) => r.id);
    const a2 = await ctxFor(db, approver2.id);

    const [one, two] = await Promise.all([bulkDecide(w.approverCtx, { decision: "approve", requestIds: ids }), bulkDecide(a2, { decision: "approve", requestIds: [...ids].reverse() })]);
    // Every request's first stage decided exactly once, by one of them.
    expect(one.decided + two.decided).toBe(6);
    expect(one.skipped + two.skipped).toBe(6);
    for (const x of [...one.results, ...two.results]) {
      if (x.ok) expect(x).toMatchObject({ status: "PENDING_APPROVAL", waitingStage: { position: 2, name: "Finance" } });
      // The loser of a race reads "already decided" (or, arriving after the move, "not your stage").
      else expect(["CONFLICT", "FORBIDDEN"]).toContain(x.code);
    }
    const approvals = await db.requestApproval.groupBy({ by: ["requestId", "position"], where: { requestId: { in: ids } }, _count: true });
    expect(approvals).toHaveLength(6);
    expect(approvals.every((g) => g.position === 1 && g._count === 1)).toBe(true);
    expect(await db.auditEvent.count({ where: { action: "request.approve_stage", targetId: { in: ids } } })).toBe(6);
    expect(await db.request.count({ where: { id: { in: ids }, status: "PENDING_APPROVAL", approvalStage: 2 } })).toBe(6);

    // Stage 2 is finance's: the team lead's bulk approve skips every request now.
    const lead = await bulkDecide(w.approverCtx, { decision: "approve", requestIds: ids });
    expect(lead).toMatchObject({ decided: 0, skipped: 6 });
    expect(lead.results.every((x) => !x.ok && x.code === "FORBIDDEN")).toBe(true);
    const fin = await bulkDecide(await ctxFor(db, finance.id), { decision: "approve", requestIds: ids });
    expect(fin).toMatchObject({ decided: 6, skipped: 0 });
    expect(fin.results.every((x) => x.ok && x.status === "APPROVED")).toBe(true);
    expect(await db.machine.count({ where: { requestId: { in: ids } } })).toBe(6);
  });
});

describe("request lists: order, search, keyset", () => {
  it("pages the approvals queue and My requests by (key, id) without losing or repeating rows that share the key", async () => {
    const db = tdb.db;
    const w = await makeWorld(db, { offering: { monthlyPriceCents: 1234 } });
    const reqs = [];
    for (let i = 0; i < 45; i++) reqs.push(await submit(w));
    // Every row shares the sort keys: only the id orders them.
    await db.request.updateMany({ where: { id: { in: reqs.map((r) => r.id) } }, data: { createdAt: new Date("2026-01-01T00:00:00Z") } });
    const mine = new Set(reqs.map((r) => r.id));

    for (const sort of ["created", "cost", "project"] as const) {
      for (const dir of ["asc", "desc"] as const) {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const p = await listPendingApprovals(w.approverCtx, listPendingApprovalsSchema.parse({ sort, dir, cursor }));
          seen.push(...p.items.map((i) => i.id));
          cursor = p.nextCursor ?? undefined;
          pages++;
        } while (cursor && pages < 10);
        const ours = seen.filter((id) => mine.has(id));
        expect(ours, `${sort} ${dir}`).toHaveLength(45);
        expect(new Set(ours).size).toBe(45);
        const sorted = [...ours].sort();
        expect(ours).toEqual(dir === "asc" ? sorted : sorted.reverse());

        const my: string[] = [];
        cursor = undefined;
        pages = 0;
        do {
          const p = await listMyRequests(w.memberCtx, listMyRequestsSchema.parse({ sort, dir, cursor }));
          my.push(...p.items.map((i) => i.id));
          cursor = p.nextCursor ?? undefined;
          pages++;
        } while (cursor && pages < 10);
        expect(new Set(my).size, `mine ${sort} ${dir}`).toBe(45);
        expect(my).toHaveLength(45);
      }
    }
    // A cursor of another sort, or a forged one, starts the list over instead of failing.
    const first = await listPendingApprovals(w.approverCtx, listPendingApprovalsSchema.parse({ sort: "cost" }));
    const wrong = await listPendingApprovals(w.approverCtx, listPendingApprovalsSchema.parse({ sort: "project", cursor: first.nextCursor }));
    expect(wrong.items.map((i) => i.id)).toEqual((await listPendingApprovals(w.approverCtx, listPendingApprovalsSchema.parse({ sort: "project" }))).items.map((i) => i.id));
    const forged = await listPendingApprovals(w.approverCtx, listPendingApprovalsSchema.parse({ cursor: "bm90IGEgY3Vyc29y" }));
    expect(forged.items).toHaveLength(20);
  });

  it("sorts by cost and project, and searches requester, project, offering and number", async () => {
    const db = tdb.db;
    const w = await makeWorld(db, { offering: { monthlyPriceCents: 1000 } });
    await db.project.update({ where: { id: w.project.id }, data: { name: uniqueName("zeta") } });
    w.offering = await db.offering.update({ where: { id: w.offering.id }, data: { name: uniqueName("small") } });
    const alpha = await db.project.update({ where: { id: (await makeProject(db)).id }, data: { name: uniqueName("alpha") } });
    await addMember(db, alpha.id, w.member.id, "MEMBER");
    await addMember(db, alpha.id, w.approver.id, "APPROVER");
    w.memberCtx = await ctxFor(db, w.member.id);
    w.approverCtx = await ctxFor(db, w.approver.id);
    const requester2 = await makeUser(db, { name: "Quentin Searchable" });
    await addMember(db, w.project.id, requester2.id, "MEMBER");
    const cheap = await submit(w);
    const dear = await submitRaw(w.memberCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 3, name: uniqueName("dear") });
    const inAlpha = await submit(w, w.memberCtx, alpha.id);
    const byQuentin = await submit(w, await ctxFor(db, requester2.id));
    const numbersOf = async (q: Record<string, string>) => (await listPendingApprovals(w.approverCtx, listPendingApprovalsSchema.parse(q))).items.map((i) => i.number);

    const ours = [cheap.number, dear.number, inAlpha.number, byQuentin.number];
    const byCost = (await numbersOf({ sort: "cost" })).filter((n) => ours.includes(n));
    expect(byCost[0]).toBe(dear.number); // most expensive first by default
    const byProject = (await numbersOf({ sort: "project" })).filter((n) => ours.includes(n));
    expect(byProject[0]).toBe(inAlpha.number);
    expect(await numbersOf({ q: "quentin searchable" })).toEqual([byQuentin.number]);
    expect(await numbersOf({ q: requester2.email.toUpperCase() })).toEqual([byQuentin.number]);
    expect(await numbersOf({ q: alpha.name })).toEqual([inAlpha.number]);
    expect((await numbersOf({ q: w.offering.name })).sort()).toEqual([cheap.number, dear.number, inAlpha.number, byQuentin.number].sort());
    expect(await numbersOf({ q: `#${dear.number}` })).toEqual([dear.number]);
    expect(await numbersOf({ q: "nothing-matches-this" })).toEqual([]);
    // My requests searches the same way (without the requester: they are all mine).
    const mine = await listMyRequests(w.memberCtx, listMyRequestsSchema.parse({ q: alpha.name }));
    expect(mine.items.map((i) => i.number)).toEqual([inAlpha.number]);
  });
});

describe("users list (administrators): order, search, keyset", () => {
  it("pages users sharing a name without losing or repeating any, in every order; refuses non-administrators", async () => {
    const db = tdb.db;
    const tag = uniqueName("twin");
    const twins = [];
    for (let i = 0; i < 23; i++) twins.push(await makeUser(db, { name: tag, email: `${tag}-${String(i).padStart(2, "0")}@example.test` }));
    await db.user.updateMany({ where: { id: { in: twins.map((u) => u.id) } }, data: { createdAt: new Date("2026-02-02T00:00:00Z") } });
    const admin = await makeUser(db, { role: "ADMIN" });
    const ctx = await ctxFor(db, admin.id);
    for (const sort of ["name", "created", "email"] as const) {
      for (const dir of ["asc", "desc"] as const) {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const p = await listUsers(ctx, listUsersSchema.parse({ q: tag, sort, dir, cursor }));
          seen.push(...p.items.map((u) => u.id));
          cursor = p.nextCursor ?? undefined;
          pages++;
        } while (cursor && pages < 5);
        expect(seen, `${sort} ${dir}`).toHaveLength(23);
        expect(new Set(seen).size).toBe(23);
        if (sort !== "email") expect(seen).toEqual(dir === "asc" ? [...seen].sort() : [...seen].sort().reverse());
      }
    }
    const byEmail = await listUsers(ctx, listUsersSchema.parse({ q: tag, sort: "email", dir: "desc" }));
    expect(byEmail.items[0].email).toBe(`${tag}-22@example.test`);
    expect((await listUsers(ctx, listUsersSchema.parse({ q: `${tag}-07` }))).items.map((u) => u.email)).toEqual([`${tag}-07@example.test`]);
    const member = await ctxFor(db, (await makeUser(db)).id);
    await expect(listUsers(member, listUsersSchema.parse({}))).rejects.toMatchObject({ code: "FORBIDDEN" });
    // The export refuses before its first byte (a 403, not a CSV with only a header).
    expect(() => exportUsers(member, listUsersSchema.parse({}))).toThrow(AppError);
    const rows: unknown[] = [];
    for await (const r of exportUsers(ctx, listUsersSchema.parse({ q: tag, sort: "email" }))()) rows.push(r);
    expect(rows).toHaveLength(23);
  });
});

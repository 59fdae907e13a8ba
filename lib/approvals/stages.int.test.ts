// Multi-stage approval policies: a request passes the stages that apply to its monthly cost, one
// decision per stage, only by that stage's approvers, never by its requester; rejection at any
// stage ends it; the quota is reserved at the final approval only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeUser } from "../../test/factories";
import { AppError } from "../errors";
import type { Ctx } from "../context";
import { makeWorld, submitRaw, uniqueName } from "../requests/testing";
import { approveRequest } from "./approve-request";
import { rejectRequest } from "./reject-request";
import { listPendingApprovals } from "./list-pending-approvals";
import { setApprovalStages } from "./set-approval-stages";
import { getApprovalStages } from "./get-approval-stages";

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

/** A project (offering at 50.00 a month) with two stages: its approvers, then finance from 100.00. */
async function twoStageWorld(opts: { autoApproveBelowCents?: number } = {}) {
  const db = tdb.db;
  const w = await makeWorld(db, { offering: { monthlyPriceCents: 5000 }, project: { autoApproveBelowCents: opts.autoApproveBelowCents ?? null } });
  const [finance, approver2, admin] = await Promise.all([makeUser(db, { name: "Fiona Finance" }), makeUser(db), makeUser(db, { role: "ADMIN" })]);
  await addMember(db, w.project.id, finance.id, "APPROVER");
  await addMember(db, w.project.id, approver2.id, "APPROVER");
  const adminCtx = await ctxFor(db, admin.id);
  await setApprovalStages(adminCtx, {
    projectId: w.project.id,
    stages: [
      { name: "Team lead", allProjectApprovers: true, approverIds: [], minMonthlyCents: null },
      { name: "Finance", allProjectApprovers: false, approverIds: [finance.id], minMonthlyCents: 10000 },
    ],
  });
  return { ...w, finance, financeCtx: await ctxFor(db, finance.id), approver2Ctx: await ctxFor(db, approver2.id), adminCtx };
}
type World = Awaited<ReturnType<typeof twoStageWorld>>;
const submit = (w: World, quantity: number, ctx: Ctx = w.memberCtx) =>
  submitRaw(ctx, { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity, name: uniqueName("st") });
const queueNumbers = async (ctx: Ctx) => (await listPendingApprovals(ctx, { page: 1 })).items.map((i) => i.number);

describe("multi-stage approval", () => {
  it("two stages: the request advances stage by stage, shown only to the current stage's approvers; quota is reserved at the final approval", async () => {
    const db = tdb.db;
    const w = await twoStageWorld();
    const r = await submit(w, 3); // 150.00 a month: both stages apply
    expect(r.status).toBe("PENDING_APPROVAL");
    expect((await db.request.findUniqueOrThrow({ where: { id: r.id } })).approvalStage).toBe(1);
    const queue = (await listPendingApprovals(w.approverCtx, { page: 1 })).items.find((i) => i.number === r.number);
    expect(queue?.stage).toEqual({ position: 1, name: "Team lead", step: 1, of: 2 });

    // Stage 1: every approver of the project; the team lead decides.
    const first = await approveRequest(w.approverCtx, { requestId: r.id });
    expect(first).toMatchObject({ machineIds: [], waitingStage: { position: 2, name: "Finance" } });
    expect(await db.machine.count({ where: { requestId: r.id } })).toBe(0);
    expect((await db.project.findUniqueOrThrow({ where: { id: w.project.id } })).usedMachines).toBe(0);
    // Finance is told; the queue now shows it to finance only.
    expect(await db.notification.count({ where: { userId: w.finance.id, kind: "request.awaiting_approval", link: `/requests/${r.number}` } })).toBe(1);
    expect(await queueNumbers(w.financeCtx)).toContain(r.number);
    expect(await queueNumbers(w.approverCtx)).not.toContain(r.number);

    // The wrong approver is refused at stage 2, and nothing changes.
    await expectAppError(() => approveRequest(w.approverCtx, { requestId: r.id }), "FORBIDDEN");
    await expectAppError(() => rejectRequest(w.approver2Ctx, { requestId: r.id, reason: "no" }), "FORBIDDEN");
    expect((await db.request.findUniqueOrThrow({ where: { id: r.id } })).approvalStage).toBe(2);

    const final = await approveRequest(w.financeCtx, { requestId: r.id });
    expect(final.waitingStage).toBeNull();
    expect(final.machineIds).toHaveLength(3);
    const row = await db.request.findUniqueOrThrow({ where: { id: r.id }, include: { stageDecisions: { orderBy: { position: "asc" } } } });
    expect(row).toMatchObject({ status: "APPROVED", approvalStage: null, decidedById: w.finance.id });
    expect(row.stageDecisions.map((d) => [d.position, d.stageName, d.approved, d.decidedById])).toEqual([
      [1, "Team lead", true, w.approver.id],
      [2, "Finance", true, w.finance.id],
    ]);
    const project = await db.project.findUniqueOrThrow({ where: { id: w.project.id } });
    expect(project).toMatchObject({ usedMachines: 3, usedMonthlyCents: 15000 });
    const audit = await db.auditEvent.findMany({ where: { targetId: r.id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["request.submit", "request.approve_stage", "request.approve_stage", "request.approve"]);
  });

  it("a stage whose threshold the cost does not reach is skipped", async () => {
    const db = tdb.db;
    const w = await twoStageWorld();
    const r = await submit(w, 1); // 50.00: finance does not apply
    const queue = (await listPendingApprovals(w.approverCtx, { page: 1 })).items.find((i) => i.number === r.number);
    expect(queue?.stage).toEqual({ position: 1, name: "Team lead", step: 1, of: 1 });
    const res = await approveRequest(w.approverCtx, { requestId: r.id });
    expect(res.waitingStage).toBeNull();
    expect(res.machineIds).toHaveLength(1);
    expect((await db.request.findUniqueOrThrow({ where: { id: r.id } })).status).toBe("APPROVED");
    expect(await db.notification.count({ where: { userId: w.finance.id, kind: "request.awaiting_approval" } })).toBe(1); // stage 1 only
  });

  it("rejection at stage 2 ends the request: no machines, no quota, the requester is told", async () => {
    const db = tdb.db;
    const w = await twoStageWorld();
    const r = await submit(w, 2);
    await approveRequest(w.approverCtx, { requestId: r.id });
    await rejectRequest(w.financeCtx, { requestId: r.id, reason: "Over this quarter's budget" });
    const row = await db.request.findUniqueOrThrow({ where: { id: r.id }, include: { stageDecisions: { orderBy: { position: "asc" } } } });
    expect(row).toMatchObject({ status: "REJECTED", decisionReason: "Over this quarter's budget", approvalStage: null });
    expect(row.stageDecisions.map((d) => [d.stageName, d.approved])).toEqual([
      ["Team lead", true],
      ["Finance", false],
    ]);
    expect(await db.machine.count({ where: { requestId: r.id } })).toBe(0);
    expect((await db.project.findUniqueOrThrow({ where: { id: w.project.id } })).usedMachines).toBe(0);
    expect(await db.notification.count({ where: { userId: w.member.id, kind: "request.rejected", link: `/requests/${r.number}` } })).toBe(1);
    await expectAppError(() => approveRequest(w.financeCtx, { requestId: r.id }), "CONFLICT");
  });

  it("concurrent approvals of the same stage make one decision", async () => {
    const db = tdb.db;
    const w = await twoStageWorld();
    const r = await submit(w, 3);
    const results = await Promise.allSettled([approveRequest(w.approverCtx, { requestId: r.id }), approveRequest(w.approver2Ctx, { requestId: r.id })]);
    expect(results.filter((x) => x.status === "fulfilled")).toHaveLength(1);
    const failed = results.find((x) => x.status === "rejected") as PromiseRejectedResult;
    expect((failed.reason as AppError).code).toBe("CONFLICT");
    expect(await db.requestApproval.count({ where: { requestId: r.id } })).toBe(1);
    expect((await db.request.findUniqueOrThrow({ where: { id: r.id } })).approvalStage).toBe(2);
  });

  it("no self-approval at any stage, and auto-approval below the project's threshold stays a policy outcome", async () => {
    const db = tdb.db;
    const w = await twoStageWorld({ autoApproveBelowCents: 6000 });
    // Finance (an approver) requests 150.00: stage 1 by someone else, stage 2 is finance's own request.
    const own = await submit(w, 3, w.financeCtx);
    await approveRequest(w.approverCtx, { requestId: own.id });
    await expectAppError(() => approveRequest(w.financeCtx, { requestId: own.id }), "FORBIDDEN");
    // An administrator may decide any stage.
    await expect(approveRequest(w.adminCtx, { requestId: own.id })).resolves.toMatchObject({ waitingStage: null });
    // Below the threshold: approved at submission, no stage.
    const small = await submit(w, 1);
    expect(small).toMatchObject({ status: "APPROVED", autoApproved: true });
    expect((await db.request.findUniqueOrThrow({ where: { id: small.id } })).approvalStage).toBeNull();
  });

  it("only administrators set stages; named approvers must be approvers of the project", async () => {
    const db = tdb.db;
    const w = await twoStageWorld();
    const outsider = await makeUser(db);
    await expectAppError(() => setApprovalStages(w.approverCtx, { projectId: w.project.id, stages: [] }), "FORBIDDEN");
    const bad = await expectAppError(
      () => setApprovalStages(w.adminCtx, { projectId: w.project.id, stages: [{ name: "Finance", approverIds: [outsider.id], minMonthlyCents: 1 }] }),
      "VALIDATION",
    );
    expect(bad.details?.fields).toEqual({ "stages.0.approverIds": ["approverNotInProject"] });
    const none = await expectAppError(() => setApprovalStages(w.adminCtx, { projectId: w.project.id, stages: [{ name: "Nobody" }] }), "VALIDATION");
    expect(none.details?.fields).toEqual({ "stages.0.approverIds": ["stageWithoutApprovers"] });
    const view = await getApprovalStages(w.adminCtx, { projectId: w.project.id });
    expect(view.stages.map((s) => s.name)).toEqual(["Team lead", "Finance"]);
    expect(view.approvers.map((a) => a.id)).toContain(w.finance.id);
    // Clearing the stages: one decision by the project's approvers again.
    await setApprovalStages(w.adminCtx, { projectId: w.project.id, stages: [] });
    const r = await submit(w, 3);
    expect((await db.request.findUniqueOrThrow({ where: { id: r.id } })).approvalStage).toBeNull();
    await expect(approveRequest(w.approverCtx, { requestId: r.id })).resolves.toMatchObject({ waitingStage: null });
  });
});

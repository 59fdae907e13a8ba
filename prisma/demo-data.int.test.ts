// The demo walks through every approval flow without set-up: Data Science's requests pass its
// project approver, then finance from $100 a month, each logging in with a demo account.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { ctxFor } from "../test/factories";
import { submitRaw, uniqueName } from "../lib/requests/testing";
import { approveRequest } from "../lib/approvals/approve-request";
import { listPendingApprovals } from "../lib/approvals/list-pending-approvals";
import { AppError } from "../lib/errors";
import { seedDemo, DEMO_LOGINS, DEMO_FINANCE_THRESHOLD_CENTS } from "./demo-data";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemo(t.db);
  await seedDemo(t.db); // idempotent: the stages are not doubled
});
afterAll(async () => {
  await t?.drop();
});

const userId = async (local: string) => (await t.db.user.findUniqueOrThrow({ where: { email: `${local}@orquestra.local` } })).id;

describe("demo approval policy", () => {
  it("lists a finance login", () => {
    expect(DEMO_LOGINS.map((l) => l.email)).toContain("finance@orquestra.local");
  });

  it("a dear Data Science request passes the project approver, then finance; finance cannot decide the first stage", async () => {
    const db = t.db;
    const project = await db.project.findUniqueOrThrow({ where: { slug: "data-science" }, include: { approvalStages: { orderBy: { position: "asc" } } } });
    expect(project.approvalStages.map((s) => [s.position, s.name, s.minMonthlyCents])).toEqual([
      [1, "Project approver", null],
      [2, "Finance", DEMO_FINANCE_THRESHOLD_CENTS],
    ]);
    const [bob, approver, finance] = await Promise.all([ctxFor(db, await userId("bob")), ctxFor(db, await userId("approver")), ctxFor(db, await userId("finance"))]);
    const offering = await db.offering.findUniqueOrThrow({ where: { name: "Large SSD" } }); // 98.00 a month
    const template = await db.template.findUniqueOrThrow({ where: { name: "Debian 12" } });
    const r = await submitRaw(bob, { projectId: project.id, offeringId: offering.id, templateId: template.id, quantity: 2, name: uniqueName("ds"), leaseEndsAt: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10) });
    expect(r.status).toBe("PENDING_APPROVAL");

    await expect(approveRequest(finance, { requestId: r.id })).rejects.toSatisfy((e: unknown) => e instanceof AppError && e.code === "FORBIDDEN");
    expect((await listPendingApprovals(approver, { page: 1 })).items.map((i) => i.number)).toContain(r.number);
    const first = await approveRequest(approver, { requestId: r.id });
    expect(first.waitingStage).toMatchObject({ position: 2, name: "Finance" });
    expect((await listPendingApprovals(finance, { page: 1 })).items.map((i) => i.number)).toContain(r.number);
    const last = await approveRequest(finance, { requestId: r.id });
    expect(last.waitingStage).toBeNull();
    expect((await db.request.findUniqueOrThrow({ where: { id: r.id } })).status).toBe("APPROVED");
  });
});

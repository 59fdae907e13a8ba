// Showback over a month with a moved clock: the cost run (accrual, daily rollup, budget alerts)
// at several moments, the Costs report (totals, forecast, daily, trend, breakdown), the CSV
// export, and budget alerts that fire exactly once per threshold per month.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import type { Db } from "../db/client";
import { addMember, ctxFor, makeOffering, makeProject, makeTemplate, makeUser } from "../../test/factories";
import { makeHost, makeProvider } from "../../test/machine-factories";
import { hourlyModel, priceVersion, succeeded } from "../../test/cost-fixtures";
import { reservationOf } from "../machines/reservation";
import { runCosts } from "./cost-task";
import { getCosts } from "./get-costs";
import { exportCosts } from "./export-costs";
import { parseCsv } from "./price-file";

let t: TestDatabase;
let db: Db;
const at = (iso: string) => new Date(`2026-${iso}:00.000Z`);

let e: {
  projectId: string;
  approverId: string;
  memberId: string;
  ownerA: { id: string; name: string; email: string };
  ownerB: { id: string; name: string; email: string };
  providerName: string;
  offeringName: string;
  m1: string;
  m2: string;
};

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  const provider = await makeProvider(db);
  const host = await makeHost(db, provider.id);
  // 2 vCPU and 10 GB of SSD: 2 000 + 1 000 millicents an hour running, 1 000 stopped.
  await priceVersion(db, { providerId: provider.id }, at("01-01T00:00"), hourlyModel(1000, 100));
  const offering = await makeOffering(db, { vcpu: 2, memoryMb: 4096, diskGb: 10, diskTier: "SSD" });
  const template = await makeTemplate(db);
  const project = await makeProject(db, { monthlyBudgetCents: 2000 });
  await db.budgetThreshold.createMany({
    data: [
      { projectId: project.id, percent: 50, basis: "ACTUAL" },
      { projectId: project.id, percent: 100, basis: "ACTUAL" },
      { projectId: project.id, percent: 100, basis: "FORECAST" },
    ],
  });
  const approver = await makeUser(db);
  const member = await makeUser(db);
  await addMember(db, project.id, approver.id, "APPROVER");
  await addMember(db, project.id, member.id, "MEMBER");
  const ownerA = await makeUser(db, { name: "Ana", email: `ana-${Date.now()}@t.local` });
  const ownerB = await makeUser(db, { name: "=Bruno", email: `bruno-${Date.now()}@t.local` });
  const mk = (ownerId: string, createdAt: Date) =>
    db.machine.create({
      data: {
        projectId: project.id,
        ownerId,
        offeringId: offering.id,
        templateId: template.id,
        ...reservationOf(offering),
        name: `vm-${ownerId.slice(0, 6)}`,
        state: "RUNNING",
        providerId: provider.id,
        hostId: host.id,
        createdAt,
      },
    });
  const m1 = await mk(ownerA.id, at("03-01T00:00"));
  await succeeded(db, m1.id, "PROVISION", at("03-01T00:00"), {}, "REQUESTED");
  const m2 = await mk(ownerB.id, at("03-05T00:00"));
  await succeeded(db, m2.id, "PROVISION", at("03-05T00:00"), {}, "REQUESTED");
  await succeeded(db, m2.id, "STOP", at("03-06T00:00"));
  e = { projectId: project.id, approverId: approver.id, memberId: member.id, ownerA, ownerB, providerName: provider.name, offeringName: offering.name, m1: m1.id, m2: m2.id };
});

afterAll(async () => {
  await t?.drop();
});

const alerts = () => db.budgetAlert.findMany({ where: { projectId: e.projectId }, orderBy: [{ month: "asc" }, { basis: "asc" }, { percent: "asc" }] });
const notified = () => db.notification.findMany({ where: { kind: "budget.threshold" }, orderBy: { createdAt: "asc" } });
const summary = async () => (await alerts()).map((a) => `${a.month.toISOString().slice(0, 7)} ${a.basis} ${a.percent}`);

describe("showback over a month", () => {
  it("fires the forecast alert on the first day, once, to the approvers only", async () => {
    await runCosts(db, at("03-02T00:00"));
    // 24 h x 3 000 = 72 cents so far; 720 h more at 3 000 = 2 232 cents forecast > the 2 000 budget.
    expect(await summary()).toEqual(["2026-03 FORECAST 100"]);
    await runCosts(db, at("03-02T01:00"));
    await runCosts(db, at("03-02T02:00"));
    expect(await summary()).toEqual(["2026-03 FORECAST 100"]);
    const n = await notified();
    expect(n.map((x) => x.userId)).toEqual([e.approverId]);
    expect(n[0].params).toMatchObject({ percent: 100, basis: "FORECAST", budgetCents: 2000, month: "2026-03" });
    expect(n[0].link).toBe(`/costs?projectId=${e.projectId}&month=2026-03`);
  });

  it("reports the month: total, forecast, daily curve, trend and breakdown (storage only while stopped)", async () => {
    await runCosts(db, at("03-15T00:00"));
    const ctx = await ctxFor(db, e.memberId, () => at("03-15T00:00"));
    const r = await getCosts(ctx, { projectId: e.projectId, month: "2026-03", groupBy: "owner" });
    // m1: 14 days running: 672 compute + 336 storage; m2: 1 day running (48 + 24), 9 days stopped (216 storage).
    expect(r.total).toMatchObject({ computeCents: 720, storageCents: 576, totalCents: 1296 });
    // 408 hours left at 3 000 + 1 000 millicents an hour.
    expect(r.forecast?.totalCents).toBe(1296 + 1632);
    expect(r.budgetCents).toBe(2000);
    expect(r.breakdown.map((b) => [b.label, b.totalCents, b.computeCents, b.storageCents])).toEqual([
      ["Ana", 1008, 672, 336],
      ["=Bruno", 288, 48, 240],
    ]);
    expect(r.daily.slice(0, 7).map((d) => d.totalCents)).toEqual([72, 72, 72, 72, 144, 96, 96]);
    expect(r.daily[13].cumulativeCents).toBe(1296);
    expect(r.daily[14].totalCents).toBe(0);
    expect(r.trend.at(-1)).toMatchObject({ month: "2026-03", totalCents: 1296 });
    expect(r.trend.at(-2)).toMatchObject({ month: "2026-02", totalCents: 0 });
    // Accrued to 10 s before midnight (the lag for operations still committing): days up to the
    // 13th are rolled up, the 14th comes from the hourly rows, and the report adds both.
    const ledger = await db.costLedger.findUniqueOrThrow({ where: { id: 1 } });
    expect(ledger.accruedUntil?.toISOString()).toBe("2026-03-14T23:59:50.000Z");
    expect(ledger.rolledUpThrough?.toISOString().slice(0, 10)).toBe("2026-03-13");
    expect(await db.costDaily.count({ where: { projectId: e.projectId } })).toBeGreaterThan(0);
    const byProvider = await getCosts(ctx, { projectId: e.projectId, month: "2026-03", groupBy: "provider" });
    expect(byProvider.breakdown.map((b) => [b.label, b.totalCents, b.share])).toEqual([[e.providerName, 1296, 1]]);
    // Half of the budget is spent: that alert fires now.
    expect(await summary()).toEqual(["2026-03 ACTUAL 50", "2026-03 FORECAST 100"]);
  });

  it("exports the month as CSV, a line per day, project, provider, offering and owner, exact amounts", async () => {
    const ctx = await ctxFor(db, e.memberId, () => at("03-15T00:00"));
    const x = await exportCosts(ctx, { projectId: e.projectId, month: "2026-03" });
    const rows = parseCsv(x.csv);
    expect(rows[0]).toEqual(["date", "project", "provider", "provider_kind", "offering", "owner", "owner_email", "powered_hours", "compute", "storage", "total", "currency"]);
    expect(rows).toHaveLength(1 + 14 + 10);
    expect(x.fileName).toMatch(/^orquestra-costs-project-[a-z0-9-]+-2026-03\.csv$/);
    const line = (day: string, owner: string) => rows.find((r) => r[0] === day && r[5] === owner);
    expect(line("2026-03-01", "Ana")?.slice(2)).toEqual([e.providerName, "SIMULATOR", e.offeringName, "Ana", e.ownerA.email, "24.00", "0.48000", "0.24000", "0.72000", "USD"]);
    // A name that a spreadsheet would take for a formula is quoted as text.
    expect(line("2026-03-06", "'=Bruno")?.slice(7)).toEqual(["0.00", "0.00000", "0.24000", "0.24000", "USD"]);
    const total = rows.slice(1).reduce((a, r) => a + Number(r[10]), 0);
    expect(total.toFixed(2)).toBe("12.96");
    // Another project's member cannot export this one.
    const stranger = await ctxFor(db, (await makeUser(db)).id, () => at("03-15T00:00"));
    await expect(exportCosts(stranger, { projectId: e.projectId, month: "2026-03" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("fires each threshold once a month, and again the next month", async () => {
    await runCosts(db, at("03-29T00:00"));
    // 2 016 + 72 + 552 = 2 640 cents: over the budget.
    expect(await summary()).toEqual(["2026-03 ACTUAL 50", "2026-03 ACTUAL 100", "2026-03 FORECAST 100"]);
    await runCosts(db, at("03-31T23:00"));
    expect((await alerts()).length).toBe(3);
    await runCosts(db, at("04-02T00:00"));
    expect(await summary()).toEqual(["2026-03 ACTUAL 50", "2026-03 ACTUAL 100", "2026-03 FORECAST 100", "2026-04 FORECAST 100"]);
    const n = await notified();
    expect(n).toHaveLength(4);
    expect(new Set(n.map((x) => x.userId))).toEqual(new Set([e.approverId]));
  });
});

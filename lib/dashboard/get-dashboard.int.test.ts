// The dashboard: only the actor's projects, right counts, approver queue, failed operations.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeOffering, makeProject, makeTemplate, makeUser } from "../../test/factories";
import { makeMachine } from "../../test/machine-factories";
import type { Ctx } from "../context";
import type { Db } from "../db/client";
import { getDashboard, QUOTA_PROJECTS_SHOWN } from "./get-dashboard";

let t: TestDatabase;
let db: Db;
let alice: Ctx;
let bob: Ctx;
let carol: Ctx; // approver of web, no requests of her own
let admin: Ctx;
let outsider: Ctx;
let web: string;
let data: string;

async function makeRequest(projectId: string, requesterId: string, status: "PENDING_APPROVAL" | "APPROVED" | "REJECTED", createdAt: Date) {
  const offering = await makeOffering(db);
  const template = await makeTemplate(db);
  return db.request.create({
    data: {
      projectId,
      requesterId,
      offeringId: offering.id,
      templateId: template.id,
      quantity: 1,
      names: ["vm"],
      monthlyCostCents: 3000,
      status,
      createdAt,
    },
  });
}

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  web = (
    await db.project.update({
      where: { id: (await makeProject(db, { quotaVcpu: 40, quotaMachines: 10, monthlyBudgetCents: 100000 })).id },
      data: { usedVcpu: 6, usedMemoryMb: 12288, usedDiskSsdGb: 150, usedMachines: 3, usedMonthlyCents: 9000 },
    })
  ).id;
  data = (await db.project.update({ where: { id: (await makeProject(db)).id }, data: { usedVcpu: 2, usedMachines: 1, usedMonthlyCents: 3000 } })).id;
  const a = await makeUser(db);
  const b = await makeUser(db);
  const c = await makeUser(db);
  await addMember(db, web, a.id, "MEMBER");
  await addMember(db, data, b.id, "VIEWER");
  await addMember(db, web, c.id, "APPROVER");
  alice = await ctxFor(db, a.id);
  bob = await ctxFor(db, b.id);
  carol = await ctxFor(db, c.id);
  admin = await ctxFor(db, (await makeUser(db, { role: "ADMIN" })).id);
  outsider = await ctxFor(db, (await makeUser(db)).id);

  await makeMachine(db, { projectId: web, ownerId: a.id, state: "RUNNING" });
  await makeMachine(db, { projectId: web, ownerId: a.id, state: "RUNNING" });
  const failing = await makeMachine(db, { projectId: web, ownerId: a.id, state: "STOPPED" });
  await makeMachine(db, { projectId: web, ownerId: a.id, state: "DELETED" });
  const etl = await makeMachine(db, { projectId: data, ownerId: b.id, state: "FAILED" });

  await db.operation.create({ data: { machineId: failing.id, kind: "START", status: "FAILED", errorCode: "DRIVER_UNAVAILABLE", error: "host unreachable" } });
  await db.operation.create({ data: { machineId: failing.id, kind: "STOP", status: "SUCCEEDED" } });
  await db.operation.create({ data: { machineId: etl.id, kind: "PROVISION", status: "FAILED", errorCode: "NO_CAPACITY", error: "no host" } });

  const base = Date.now() - 60_000;
  for (let i = 0; i < 7; i++) await makeRequest(web, a.id, i < 2 ? "PENDING_APPROVAL" : "APPROVED", new Date(base + i * 1000));
  await makeRequest(data, b.id, "PENDING_APPROVAL", new Date(base));
  // Carol's own pending request: never counted as waiting for her.
  await makeRequest(web, c.id, "PENDING_APPROVAL", new Date(base));
  await db.leaseExtension.create({ data: { machineId: failing.id, requestedById: a.id, newEndsAt: new Date(Date.now() + 86_400_000 * 30) } });
});

afterAll(async () => {
  await t?.drop();
});

describe("getDashboard", () => {
  it("shows a member only their projects, with quota usage, machines by state and cost", async () => {
    const d = await getDashboard(alice);
    expect(d.projects.map((p) => p.id)).toEqual([web]);
    const p = d.projects[0];
    expect(p.vcpu).toEqual({ used: 6, limit: 40 });
    expect(p.memoryMb.used).toBe(12288);
    expect(p.diskSsdGb.used).toBe(150);
    expect(p.machines).toEqual({ used: 3, limit: 10 });
    expect(p.monthlyCents).toEqual({ used: 9000, limit: 100000 });
    expect(p.machinesByState).toEqual({ RUNNING: 2, STOPPED: 1 });
    expect(d.machinesByState).toEqual({ RUNNING: 2, STOPPED: 1 });
    expect(d.machineTotal).toBe(3);
    expect(d.monthlyCostCents).toBe(9000);
    expect(d.currency).toBeTruthy();
  });

  it("counts the user's own pending requests and lists the most recent five, newest first", async () => {
    const d = await getDashboard(alice);
    expect(d.myPendingRequests).toBe(2);
    expect(d.recentRequests).toHaveLength(5);
    const times = d.recentRequests.map((r) => r.createdAt.getTime());
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    expect(d.recentRequests.every((r) => r.projectName && r.offeringName)).toBe(true);
    const b = await getDashboard(bob);
    expect(b.myPendingRequests).toBe(1);
    expect(b.recentRequests).toHaveLength(1);
  });

  it("lists failed operations only in readable projects", async () => {
    const a = await getDashboard(alice);
    expect(a.failedOperations.map((o) => [o.kind, o.errorCode])).toEqual([["START", "DRIVER_UNAVAILABLE"]]);
    expect(a.failedOperations[0].error).toBe("host unreachable");
    const b = await getDashboard(bob);
    expect(b.failedOperations.map((o) => o.kind)).toEqual(["PROVISION"]);
    expect(b.machinesByState).toEqual({ FAILED: 1 });
  });

  it("gives approvers the count of requests waiting for them, never their own; non-approvers get none", async () => {
    const c = await getDashboard(carol);
    // Alice's two pending requests in web; Carol's own pending request does not count.
    expect(c.approvals).toEqual({ requests: 2, leaseExtensions: 1 });
    expect(c.myPendingRequests).toBe(1);
    expect((await getDashboard(alice)).approvals).toBeNull();
    expect((await getDashboard(bob)).approvals).toBeNull();
  });

  it("shows an administrator every project and every machine", async () => {
    const d = await getDashboard(admin);
    expect(d.projects.map((p) => p.id).sort()).toEqual([web, data].sort());
    expect(d.machinesByState).toEqual({ RUNNING: 2, STOPPED: 1, FAILED: 1 });
    expect(d.machineTotal).toBe(4);
    expect(d.monthlyCostCents).toBe(12000);
    expect(d.failedOperations).toHaveLength(2);
    // Alice 2 + Bob 1 + Carol 1 pending, none the admin's own.
    expect(d.approvals).toEqual({ requests: 4, leaseExtensions: 1 });
    expect(d.myPendingRequests).toBe(0);
  });

  it("gives a user without projects an empty dashboard", async () => {
    const d = await getDashboard(outsider);
    expect(d.projects).toEqual([]);
    expect(d.machineTotal).toBe(0);
    expect(d.failedOperations).toEqual([]);
    expect(d.recentRequests).toEqual([]);
    expect(d.approvals).toBeNull();
  });

  // Last: it adds projects. An administrator reads every project (1,000 at scale); the page
  // draws only the ones nearest a limit, while the figures cover all of them.
  it("draws the projects nearest a limit, at most QUOTA_PROJECTS_SHOWN, while its figures count every project", async () => {
    const before = await getDashboard(admin);
    const extra: string[] = [];
    for (let i = 0; i < QUOTA_PROJECTS_SHOWN + 2; i++) {
      const p = await makeProject(db, { quotaVcpu: 100, quotaMachines: 100 });
      await db.project.update({ where: { id: p.id }, data: { usedVcpu: 10 + i * 10, usedMachines: 1, usedMonthlyCents: 100 } });
      extra.push(p.id);
    }
    // A full project that is archived goes after the active ones.
    const archived = await makeProject(db, { quotaVcpu: 1, quotaMachines: 100 });
    await db.project.update({ where: { id: archived.id }, data: { usedVcpu: 1, archived: true } });
    const owner = await makeUser(db);
    await makeMachine(db, { projectId: extra[0], ownerId: owner.id, state: "RUNNING" });

    const d = await getDashboard(admin);
    expect(d.projectCount).toBe(before.projectCount + extra.length + 1);
    expect(d.projects).toHaveLength(QUOTA_PROJECTS_SHOWN);
    // Fullest first: the extra projects at 80 %, 70 %, ... of their vCPU; web has 6/40 vCPU (15 %),
    // 3/10 machines (30 %): below the six fullest extras (80 % … 30 %, name breaking the tie at 30 %).
    expect(d.projects.slice(0, 5).map((p) => p.id)).toEqual(extra.slice(3).reverse());
    expect(d.projects.some((p) => p.id === archived.id)).toBe(false);
    // Totals still cover every project, shown or not (extra[0], at 10 %, is not drawn).
    expect(d.projects.some((p) => p.id === extra[0])).toBe(false);
    expect(d.machineTotal).toBe(before.machineTotal + 1);
    expect(d.projectsWithMachines).toBe(before.projectsWithMachines + 1);
    expect(d.monthlyCostCents).toBe(before.monthlyCostCents + 100 * extra.length);
  });

  // After the one above: ranks what is in the database by the rule the page states, computed
  // here in JavaScript over every project (the database ranks them for the page).
  it("ranks by the fullest limit: a zero limit in use first, no budget counts nothing, archived last, ties by name", async () => {
    const mk = async (name: string, data: Record<string, number | boolean | null>) => {
      const p = await makeProject(db, { quotaVcpu: 100, quotaMachines: 100 });
      await db.project.update({ where: { id: p.id }, data: { name: `${name} ${p.id.slice(0, 6)}`, ...data } });
    };
    await mk("zero-limit", { quotaDiskHddGb: 0, usedDiskHddGb: 5 }); // Infinity
    await mk("over-budget", { monthlyBudgetCents: 1000, usedMonthlyCents: 1500 }); // 150 %
    await mk("no-budget", { monthlyBudgetCents: null, usedMonthlyCents: 999_999 }); // 0
    await mk("tie-b", { usedVcpu: 95 });
    await mk("tie-a", { usedVcpu: 95 });
    await mk("archived-full", { usedVcpu: 100, archived: true });
    const all = await db.project.findMany();
    const share = (used: number, limit: number | null) => (limit === null ? 0 : limit > 0 ? used / limit : used > 0 ? Infinity : 0);
    const fullest = (p: (typeof all)[number]) =>
      Math.max(
        share(p.usedVcpu, p.quotaVcpu),
        share(p.usedMemoryMb, p.quotaMemoryMb),
        share(p.usedDiskSsdGb, p.quotaDiskSsdGb),
        share(p.usedDiskHddGb, p.quotaDiskHddGb),
        share(p.usedMachines, p.quotaMachines),
        share(p.usedMonthlyCents, p.monthlyBudgetCents),
      );
    const expected = all
      .sort((a, b) => Number(a.archived) - Number(b.archived) || fullest(b) - fullest(a) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.id < b.id ? -1 : 1))
      .slice(0, QUOTA_PROJECTS_SHOWN);
    const d = await getDashboard(admin);
    expect(d.projects.map((p) => p.name)).toEqual(expected.map((p) => p.name));
    expect(d.projects[0].name).toMatch(/^zero-limit/);
    expect(d.projects[1].name).toMatch(/^over-budget/);
    expect(d.projects.findIndex((p) => p.name.startsWith("tie-a"))).toBeLessThan(d.projects.findIndex((p) => p.name.startsWith("tie-b")));
    expect(d.projectCount).toBe(all.length);
    expect(d.monthlyCostCents).toBe(all.reduce((a, p) => a + p.usedMonthlyCents, 0));
  });
});


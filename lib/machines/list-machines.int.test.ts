// The machines list: only projects the actor may read, filters, search, pagination, busy flag.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeProject, makeUser } from "../../test/factories";
import { makeMachine } from "../../test/machine-factories";
import type { Ctx } from "../context";
import type { Db } from "../db/client";
import { MachineState } from "../generated/prisma/enums";
import { listMachines } from "./list-machines";

const STATE_ORDER = Object.values(MachineState);
import { getMachine } from "./get-machine";
import { stopMachine } from "./stop-machine";

let t: TestDatabase;
let db: Db;
let alice: Ctx;
let bob: Ctx;
let admin: Ctx;
let web: string;
let data: string;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  web = (await makeProject(db)).id;
  data = (await makeProject(db)).id;
  const a = await makeUser(db);
  const b = await makeUser(db);
  await addMember(db, web, a.id, "MEMBER");
  await addMember(db, data, b.id, "VIEWER");
  alice = await ctxFor(db, a.id);
  bob = await ctxFor(db, b.id);
  admin = await ctxFor(db, (await makeUser(db, { role: "ADMIN" })).id);
  for (let i = 0; i < 23; i++) await makeMachine(db, { projectId: web, ownerId: a.id, state: i % 2 ? "RUNNING" : "STOPPED", name: `web-${String(i).padStart(2, "0")}` });
  await makeMachine(db, { projectId: web, ownerId: a.id, state: "DELETED", name: "web-gone" });
  await makeMachine(db, { projectId: data, ownerId: b.id, state: "RUNNING", name: "etl-01" });
});

afterAll(async () => {
  await t?.drop();
});

describe("listMachines", () => {
  it("shows only the actor's projects, without deleted machines, paginated", async () => {
    const p1 = await listMachines(alice, { page: 1 });
    expect(p1.total).toBe(23);
    expect(p1.items).toHaveLength(20);
    expect(p1.pageCount).toBe(2);
    expect(p1.projects.map((p) => p.id)).toEqual([web]);
    const p2 = await listMachines(alice, { page: 2 });
    expect(p2.items).toHaveLength(3);
    const names = [...p1.items, ...p2.items].map((m) => m.name);
    expect(new Set(names).size).toBe(23);
    expect(names).not.toContain("etl-01");
    expect(names).not.toContain("web-gone");
    expect((await listMachines(bob, { page: 1 })).items.map((m) => m.name)).toEqual(["etl-01"]);
    expect((await listMachines(admin, { page: 1 })).total).toBe(24);
  });

  it("pages by keyset cursor: same rows as page numbers, no duplicates, null cursor on the last page", async () => {
    // Machines created in the same millisecond too: the id breaks ties.
    const seen: string[] = [];
    let page = await listMachines(alice, { page: 1 });
    expect(page.totalCapped).toBe(false);
    seen.push(...page.items.map((m) => m.id));
    while (page.nextCursor) {
      page = await listMachines(alice, { page: 1, cursor: page.nextCursor });
      expect(page.page).toBe(0);
      seen.push(...page.items.map((m) => m.id));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(23);
    const byNumber = [...(await listMachines(alice, { page: 1 })).items, ...(await listMachines(alice, { page: 2 })).items].map((m) => m.id);
    expect(seen).toEqual(byNumber);
    // A garbage cursor starts from the newest (the API rejects it as VALIDATION).
    expect((await listMachines(alice, { page: 1, cursor: "not-a-cursor" })).items.length).toBe(20);
  });

  it("filters by project, state and name; a foreign project filter shows nothing", async () => {
    expect((await listMachines(alice, { page: 1, state: "RUNNING" })).total).toBe(11);
    expect((await listMachines(alice, { page: 1, state: "DELETED" })).items.map((m) => m.name)).toEqual(["web-gone"]);
    expect((await listMachines(alice, { page: 1, q: "WEB-1" })).total).toBe(10);
    expect((await listMachines(alice, { page: 1, projectId: data })).total).toBe(0);
    expect((await listMachines(admin, { page: 1, projectId: data })).items.map((m) => m.name)).toEqual(["etl-01"]);
  });

  it("reports busy machines and their current operation", async () => {
    const before = await listMachines(bob, { page: 1 });
    expect(before.busy).toBe(false);
    const m = await db.machine.findFirstOrThrow({ where: { name: "web-01" } });
    await stopMachine(alice, { machineId: m.id });
    const after = await listMachines(alice, { page: 1, q: "web-01" });
    expect(after.busy).toBe(true);
    expect(after.items[0]).toMatchObject({ state: "STOPPING", currentOperation: { kind: "STOP", status: "QUEUED" } });
    const detail = await getMachine(alice, { machineId: m.id });
    expect(detail.busy).toBe(true);
    expect(detail.currentOperation?.kind).toBe("STOP");
    expect(detail.operations[0].requestedBy).toBe(alice.actor.name);
    expect(detail.actions.STOP).toBe("state");
  });
});

describe("listMachines sorts, search and provider filter", () => {
  let carol: Ctx;
  let proj: string;
  beforeAll(async () => {
    proj = (await makeProject(db)).id;
    const c = await makeUser(db);
    await addMember(db, proj, c.id, "MEMBER");
    carol = await ctxFor(db, c.id);
    // 25 machines; costs repeat (ties broken by id), IPs 10.0.<i % 3>.<i>.
    for (let i = 0; i < 25; i++) {
      const m = await makeMachine(db, { projectId: proj, ownerId: c.id, state: (["RUNNING", "STOPPED", "FAILED"] as const)[i % 3], name: `s-${String((i * 7) % 25).padStart(2, "0")}` });
      await db.machine.update({ where: { id: m.id }, data: { monthlyCents: 1000 * (i % 4), ipAddress: `10.0.${i % 3}.${i}` } });
    }
  });

  async function walk(input: Omit<Parameters<typeof listMachines>[1], "page">) {
    const seen: { name: string; id: string; state: string; monthlyCents: number }[] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 10; guard++) {
      const p = await listMachines(carol, { ...input, cursor, page: 1 }, { withProjects: false });
      seen.push(...p.items);
      if (!p.nextCursor) return seen;
      cursor = p.nextCursor;
    }
    throw new Error("no last page");
  }

  it.each([
    ["name", "asc"],
    ["name", "desc"],
    ["cost", "asc"],
    ["cost", "desc"],
    ["state", "asc"],
    ["state", "desc"],
    ["created", "asc"],
    ["created", "desc"],
  ] as const)("keyset pages by %s %s give every row once, in order", async (sort, dir) => {
    const rows = await walk({ sort, dir });
    expect(rows).toHaveLength(25);
    expect(new Set(rows.map((r) => r.id)).size).toBe(25);
    const key = (r: (typeof rows)[number]) => (sort === "name" ? r.name : sort === "cost" ? r.monthlyCents : sort === "state" ? STATE_ORDER.indexOf(r.state as MachineState) : 0);
    if (sort !== "created") {
      const keys = rows.map(key);
      const sorted = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      expect(keys).toEqual(dir === "asc" ? sorted : sorted.reverse());
    }
    // Same rows as offset pages of the same order.
    const p1 = await listMachines(carol, { sort, dir, page: 1 }, { withProjects: false });
    const p2 = await listMachines(carol, { sort, dir, page: 2 }, { withProjects: false });
    expect(rows.map((r) => r.id)).toEqual([...p1.items, ...p2.items].map((r) => r.id));
  });

  it("orders states as the lifecycle declares them, ties newest id first", async () => {
    const rows = await walk({ sort: "state", dir: "asc" });
    expect([...new Set(rows.map((r) => r.state))]).toEqual(["RUNNING", "STOPPED", "FAILED"]);
    const running = rows.filter((r) => r.state === "RUNNING").map((r) => r.id);
    expect(running).toEqual([...running].sort().reverse());
  });

  it("searches by name or IP prefix, not IP infix", async () => {
    expect((await listMachines(carol, { q: "s-0", page: 1 })).items.map((m) => m.name).sort()).toEqual(["s-00", "s-01", "s-02", "s-03", "s-04", "s-05", "s-06", "s-07", "s-08", "s-09"]);
    const byIp = await listMachines(carol, { q: "10.0.2.", page: 1 });
    expect(byIp.total).toBe(8);
    expect(byIp.items.every((m) => m.ipAddress?.startsWith("10.0.2."))).toBe(true);
    expect((await listMachines(carol, { q: "0.2.", page: 1 })).total).toBe(0);
  });

  it("filters by provider; a forged or foreign cursor starts over instead of failing", async () => {
    const one = await db.machine.findFirstOrThrow({ where: { projectId: proj, providerId: { not: null } } });
    const onProvider = await listMachines(carol, { providerId: one.providerId!, page: 1 });
    expect(onProvider.items.length).toBeGreaterThan(0);
    expect(onProvider.items.every((m) => m.providerName !== null)).toBe(true);
    expect((await listMachines(carol, { providerId: "00000000-0000-4000-8000-000000000000", page: 1 })).total).toBe(0);
    // A cost cursor given to the name sort: its value is a number, so the list starts over.
    const cost = await listMachines(carol, { sort: "cost", page: 1 });
    const r = await listMachines(carol, { sort: "name", cursor: cost.nextCursor!, page: 1 });
    expect(r.items[0].name).toBe("s-00");
    expect((await listMachines(carol, { sort: "name", cursor: "garbage", page: 1 })).items[0].name).toBe("s-00");
  });
});

describe("machine list indexes", () => {
  // With sequential scans switched off, each sort's ORDER BY must be served by an index
  // without a Sort node (tables this small would otherwise be scanned whole).
  it.each([
    ["name ASC, id DESC", "Machine_name_id_idx"],
    ["name DESC, id ASC", "Machine_name_id_idx"],
    ["state ASC, id DESC", "Machine_state_id_idx"],
    ['"monthlyCents" DESC, id ASC', "Machine_monthlyCents_id_idx"],
    ['"createdAt" DESC, id ASC', "Machine_createdAt_id_idx"],
  ])("ORDER BY %s reads %s in order", async (order, index) => {
    const plan = await db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      const r = await tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN SELECT id FROM "Machine" ORDER BY ${order} LIMIT 21`);
      return r.map((x) => x["QUERY PLAN"]).join("\n");
    });
    expect(plan).toContain(index);
    expect(plan).not.toMatch(/\bSort\b/);
  });

  it("filters by provider in created order through one index", async () => {
    const plan = await db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      const r = await tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
        `EXPLAIN SELECT id FROM "Machine" WHERE "providerId" = '00000000-0000-4000-8000-000000000000' ORDER BY "createdAt" DESC, id ASC LIMIT 21`,
      );
      return r.map((x) => x["QUERY PLAN"]).join("\n");
    });
    expect(plan).toContain("Machine_providerId_createdAt_id_idx");
    expect(plan).not.toMatch(/\bSort\b/);
  });
});

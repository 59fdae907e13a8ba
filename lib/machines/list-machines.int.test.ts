// The machines list: only projects the actor may read, filters, search, pagination, busy flag.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeProject, makeUser } from "../../test/factories";
import { makeMachine } from "../../test/machine-factories";
import type { Ctx } from "../context";
import type { Db } from "../db/client";
import { listMachines } from "./list-machines";
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

// Searches match what was typed: `%`, `_` and `\` are literal in every "contains" search, raw SQL
// (the machines list) and Prisma's `contains` (which passes them to ILIKE unescaped) alike; and
// the request lists find a request by part of a machine name ("web-0" finds shop-web-01).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { ctxFor, makeProject, makeUser } from "../../test/factories";
import { makeMachine } from "../../test/machine-factories";
import type { Ctx } from "../context";
import type { Db } from "./client";
import { escapeLike } from "./like";
import { assertProjectNameAndSlugFree } from "../projects/unique-fields";
import { assertProviderNameFree } from "../providers/unique-name";
import { assertOfferingNameFree } from "../offerings/unique-name";
import { addProjectMember } from "../projects/add-project-member";
import { listMachines } from "../machines/list-machines";
import { listMachinesSchema } from "../machines/schemas";
import { listGroups } from "../groups/list-groups";
import { listProjectPage } from "../projects/list-project-page";
import { listMyRequests } from "../requests/list-my-requests";
import { listMyRequestsSchema } from "../requests/schemas";
import { listPendingApprovals } from "../approvals/list-pending-approvals";
import { listPendingApprovalsSchema } from "../approvals/schemas";
import { makeWorld, submitRaw } from "../requests/testing";

let t: TestDatabase;
let db: Db;
let admin: Ctx;
const NAMES = ["a_b", "axb", "100%", "1000", "c\\d", "cd"];

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  const user = await makeUser(db, { role: "ADMIN" });
  admin = await ctxFor(db, user.id);
  const project = await makeProject(db);
  for (const name of NAMES) await makeMachine(db, { projectId: project.id, ownerId: user.id, name, placed: false });
  await db.group.createMany({ data: NAMES.map((name) => ({ name: `g-${name}` })) });
  for (const [i, name] of NAMES.entries()) {
    await db.project.create({ data: { name: `p-${name}`, slug: `like-${i}`, quotaVcpu: 1, quotaMemoryMb: 1, quotaDiskSsdGb: 1, quotaDiskHddGb: 1, quotaMachines: 1 } });
  }
});
afterAll(async () => {
  await t.drop();
});

// What each search must find among NAMES: only the names that contain the text literally.
const CASES: [string, string[]][] = [
  ["_", ["a_b"]],
  ["a_b", ["a_b"]],
  ["%", ["100%"]],
  ["0%", ["100%"]],
  ["\\", ["c\\d"]],
  ["c\\d", ["c\\d"]],
  ["X", ["axb"]],
];

describe("LIKE wildcards are literal", () => {
  it("escapes the wildcards and the escape character", () => {
    expect(escapeLike("a_b%c\\d")).toBe("a\\_b\\%c\\\\d");
    expect(escapeLike("plain-text")).toBe("plain-text");
  });

  it("in the machines list (raw SQL ILIKE)", async () => {
    for (const [q, want] of CASES) {
      const page = await listMachines(admin, listMachinesSchema.parse({ q }), { withProjects: false });
      expect(page.items.map((m) => m.name).sort(), q).toEqual(want);
    }
  });

  it("in Prisma contains searches (groups) and the projects list", async () => {
    for (const [q, want] of CASES) {
      const groups = await listGroups(admin, { q });
      expect(groups.items.map((g) => g.name).sort(), q).toEqual(want.map((n) => `g-${n}`));
      const projects = await listProjectPage(admin, { q });
      expect(projects.items.map((p) => p.name).sort(), q).toEqual(want.map((n) => `p-${n}`));
    }
  });

  it("in exact matches in any case: unique names and adding a member by e-mail", async () => {
    // Prisma's `equals` + insensitive is ILIKE: unescaped, "p-a_b" is taken by "p-axb" and "%" by any.
    await db.project.delete({ where: { slug: "like-0" } }); // p-a_b gone, p-axb stays
    await expect(db.$transaction((tx) => assertProjectNameAndSlugFree(tx, "P-A_B", "like-new"))).resolves.toBeUndefined();
    await expect(db.$transaction((tx) => assertProjectNameAndSlugFree(tx, "%", "like-new"))).resolves.toBeUndefined();
    await expect(db.$transaction((tx) => assertProjectNameAndSlugFree(tx, "P-AXB", "like-new"))).rejects.toMatchObject({ details: { fields: { name: ["projects.validation.nameTaken"] } } });
    await expect(db.$transaction((tx) => assertProviderNameFree(tx, "%"))).resolves.toBeUndefined();
    await db.offering.create({ data: { name: "m_large", vcpu: 1, memoryMb: 512, diskGb: 10, diskTier: "SSD", monthlyPriceCents: 1 } });
    await expect(db.$transaction((tx) => assertOfferingNameFree(tx, "mXlarge"))).resolves.toBeUndefined();
    await expect(db.$transaction((tx) => assertOfferingNameFree(tx, " M_LARGE "))).rejects.toMatchObject({ code: "VALIDATION" });

    const other = await makeUser(db, { email: "userx1@like.test" });
    const project = await makeProject(db);
    // "user_1@like.test" is nobody: it must not add userx1.
    await expect(addProjectMember(admin, { projectId: project.id, email: "user_1@like.test", role: "MEMBER" })).rejects.toMatchObject({ details: { fields: { email: ["projects.validation.unknownEmail"] } } });
    expect(await db.projectMember.count({ where: { projectId: project.id, userId: other.id } })).toBe(0);
    await addProjectMember(admin, { projectId: project.id, email: "USERX1@like.test", role: "MEMBER" });
    expect(await db.projectMember.count({ where: { projectId: project.id, userId: other.id } })).toBe(1);
  });
});

describe("request search by part of a machine name", () => {
  it("finds the request in My requests and in the approvals queue, in any case", async () => {
    const w = await makeWorld(db);
    const submit = (names: string[]) =>
      submitRaw(w.memberCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: names.length, ...(names.length === 1 ? { name: names[0] } : { names }) });
    const web = await submit(["shop-web-01", "shop-web-02"]);
    const db1 = await submit(["shop-db-01"]);
    const ids = (items: { id: string }[]) => items.map((r) => r.id).sort();
    const mine = async (q: string) => ids((await listMyRequests(w.memberCtx, listMyRequestsSchema.parse({ q }))).items);
    const queue = async (q: string) => ids((await listPendingApprovals(w.approverCtx, listPendingApprovalsSchema.parse({ q }))).items);
    expect(await mine("web-0")).toEqual([web.id]);
    expect(await queue("WEB-0")).toEqual([web.id]);
    expect(await mine("b-01")).toEqual([db1.id, web.id].sort());
    expect(await queue("-02")).toEqual([web.id]);
    expect(await mine("shop-web-01")).toEqual([web.id]);
    expect(await mine("web_0")).toEqual([]);
    // Kept by the trigger, not by the app: the row says what the names are.
    const row = await db.request.findUniqueOrThrow({ where: { id: web.id }, select: { namesText: true } });
    expect(row.namesText).toBe("shop-web-01 shop-web-02");
    await db.request.update({ where: { id: db1.id }, data: { names: ["renamed-api-01"] } });
    expect(await mine("api-0")).toEqual([db1.id]);
    // A machine renamed later is found by its new name too, and still by the requested one.
    const m = await makeMachine(db, { projectId: w.project.id, ownerId: w.member.id, name: "shop-web-01", placed: false });
    await db.machine.update({ where: { id: m.id }, data: { requestId: web.id } });
    await db.machine.update({ where: { id: m.id }, data: { name: "storefront-01" } });
    expect(await mine("storefront")).toEqual([web.id]);
    expect(await queue("STOREFRONT-0")).toEqual([web.id]);
    expect(await mine("shop-web-01")).toEqual([web.id]);
    await db.request.update({ where: { id: web.id }, data: { justification: "any later update keeps the renamed name" } });
    expect((await db.request.findUniqueOrThrow({ where: { id: web.id }, select: { namesText: true } })).namesText).toBe("shop-web-01 shop-web-02 storefront-01");
    await db.machine.update({ where: { id: m.id }, data: { name: "shop-web-01" } });
    expect(await mine("storefront")).toEqual([]);
  });

  it("searches requesters through the relation when more than a thousand users match", async () => {
    const w = await makeWorld(db);
    const tag = `many${Date.now().toString(36)}`;
    await db.user.createMany({ data: Array.from({ length: 1001 }, (_, i) => ({ email: `${tag}-${i}@example.test`, name: `${tag} ${i}`, passwordHash: "x" })) });
    await db.projectMember.create({ data: { projectId: w.project.id, userId: (await db.user.findUniqueOrThrow({ where: { email: `${tag}-1000@example.test` } })).id } });
    const requester = await ctxFor(db, (await db.user.findUniqueOrThrow({ where: { email: `${tag}-1000@example.test` } })).id);
    const r = await submitRaw(requester, { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 1, name: "plain-01" });
    const found = await listPendingApprovals(w.approverCtx, listPendingApprovalsSchema.parse({ q: tag }));
    expect(found.items.map((x) => x.id)).toEqual([r.id]);
  });
});

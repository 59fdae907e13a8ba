// The administrators' project list in keyset pages (every sort and direction, with ties in
// each key) and its CSV export (every matching row, not only a page; formula cells guarded;
// refused to non-administrators before the first byte).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeUser } from "../../test/factories";
import type { Ctx } from "../context";
import type { Db, Prisma } from "../db/client";
import { AppError } from "../errors";
import { csvRow } from "../csv/csv";
import { encodeKeyCursor, type SortDir } from "../pagination";
import { listProjectPage } from "./list-project-page";
import { exportProjects, PROJECT_CSV_HEADER } from "./export-projects";
import { listProjectPageSchema, PROJECT_SORTS, type ProjectSort } from "./schemas";

let t: TestDatabase;
let db: Db;
let admin: Ctx;
const tag = `pk${randomUUID().slice(0, 6)}`;
const N = 23;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  admin = await ctxFor(db, (await makeUser(db, { role: "ADMIN" })).id);
  const users = await Promise.all([0, 1, 2].map(() => makeUser(db)));
  for (let i = 0; i < N; i++) {
    // Few distinct values per key: ties in every sort. One name a spreadsheet would run.
    const name = i === 5 ? `=SUM(1)-${tag}` : `${tag}-${String(i % 7).padStart(2, "0")}-${i}`;
    const p = await db.project.create({
      data: {
        name,
        slug: `${tag}-s${i}`,
        quotaVcpu: 10,
        quotaMemoryMb: 1024,
        quotaDiskSsdGb: 10,
        quotaDiskHddGb: 10,
        quotaMachines: 10,
        usedMachines: i % 3,
        archived: i % 4 === 0,
      },
    });
    for (const u of users.slice(0, i % 3)) await addMember(db, p.id, u.id);
  }
  // Outside the search: never listed with q = tag.
  await db.project.create({ data: { name: `other-${randomUUID()}`, slug: `other-${randomUUID()}`, quotaVcpu: 1, quotaMemoryMb: 1, quotaDiskSsdGb: 1, quotaDiskHddGb: 1, quotaMachines: 1 } });
});
afterAll(async () => {
  await t.drop();
});

/** The order the page must follow, as a Prisma query (the database's collation for names). */
async function reference(sort: ProjectSort | undefined, dir: SortDir | undefined): Promise<string[]> {
  const d: SortDir = dir ?? (!sort || sort === "name" ? "asc" : "desc");
  const orderBy: Prisma.ProjectOrderByWithRelationInput[] = !sort
    ? [{ archived: d }, { name: d }, { id: d }]
    : [sort === "name" ? { name: d } : sort === "machines" ? { usedMachines: d } : { members: { _count: d } }, { id: d }];
  const where = { OR: [{ name: { contains: tag } }, { slug: { contains: tag } }] };
  return (await db.project.findMany({ where, orderBy, select: { id: true } })).map((p) => p.id);
}

describe("admin project list", () => {
  it("walks every sort and direction in keyset pages: each project once, in the order of (key, id)", async () => {
    for (const sort of [undefined, ...PROJECT_SORTS]) {
      for (const dir of [undefined, "asc", "desc"] as const) {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await listProjectPage(admin, listProjectPageSchema.parse({ q: tag, sort, dir, cursor }), 4);
          expect(page.items.length).toBeLessThanOrEqual(4);
          seen.push(...page.items.map((p) => p.id));
          cursor = page.nextCursor ?? undefined;
          pages++;
        } while (cursor && pages < 20);
        expect(seen, `${sort} ${dir}`).toEqual(await reference(sort, dir));
        expect(pages).toBe(Math.ceil(N / 4));
      }
    }
  });

  it("starts over on a cursor that does not fit the sort, and keeps the row fields", async () => {
    const first = await listProjectPage(admin, { q: tag, sort: "machines" }, 4);
    const forged = await listProjectPage(admin, { q: tag, sort: "machines", cursor: encodeKeyCursor("not a number", randomUUID()) }, 4);
    expect(forged.items.map((p) => p.id)).toEqual(first.items.map((p) => p.id));
    const garbage = await listProjectPage(admin, { q: tag, sort: "name", cursor: "%%%" }, 4);
    expect(garbage.items).toHaveLength(4);
    const row = first.items[0];
    expect(row).toMatchObject({ usedMachines: 2, quotaVcpu: 10 });
    expect(row.memberCount).toBe(2);
    expect(row).not.toHaveProperty("createdAt");
  });

  it("refuses non-administrators", async () => {
    const member = await ctxFor(db, (await makeUser(db)).id);
    await expect(listProjectPage(member, {})).rejects.toMatchObject({ code: "FORBIDDEN" });
    // The export refuses before its first byte (the route answers 403, not a CSV with a header).
    expect(() => exportProjects(member, {})).toThrow(AppError);
  });

  it("exports every matching row (past one page) in the list's order, formulas guarded", async () => {
    const rows: (string | number | boolean | Date | null | undefined)[][] = [];
    for await (const r of exportProjects(admin, listProjectPageSchema.parse({ q: tag, sort: "members", dir: "asc" }))()) rows.push(r);
    expect(rows).toHaveLength(N);
    expect(rows.map((r) => r[0])).toEqual(await reference("members", "asc"));
    expect(rows.every((r) => r.length === PROJECT_CSV_HEADER.length)).toBe(true);
    const formula = rows.find((r) => String(r[1]).startsWith("="))!;
    expect(csvRow(formula)).toContain(`,'=SUM(1)-${tag},`);
    const archived = rows.filter((r) => r[3] === "ARCHIVED");
    expect(archived).toHaveLength(Math.ceil(N / 4));
    // The search narrows the export as it narrows the list.
    const one: unknown[] = [];
    for await (const r of exportProjects(admin, { q: `${tag}-s7` })()) one.push(r);
    expect(one).toHaveLength(1);
  });
});

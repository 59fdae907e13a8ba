// The workloads list past the old 200-row cap: keyset pages in every sort and direction with
// ties in each key (same creation instant, same name, same state), and its CSV export (every
// row the actor can see, in the list's order; nothing of other projects).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeOffering, makeProject, makeUser } from "../../test/factories";
import type { Ctx } from "../context";
import type { Db, Prisma } from "../db/client";
import { WorkloadState } from "../generated/prisma/enums";
import { encodeKeyCursor, PAGE_SIZE, type SortDir } from "../pagination";
import { listWorkloads } from "./get-workload";
import { exportWorkloads, WORKLOAD_CSV_HEADER } from "./export-workloads";
import { listWorkloadsSchema, WORKLOAD_SORTS } from "./schemas";

let t: TestDatabase;
let db: Db;
let member: Ctx;
let outsider: Ctx;
let projectId: string;
const N = 250;
const LIVE = [WorkloadState.PENDING, WorkloadState.RUNNING, WorkloadState.FAILED, WorkloadState.UPDATING];

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  const user = await makeUser(db);
  const project = await makeProject(db);
  projectId = project.id;
  await addMember(db, project.id, user.id);
  member = await ctxFor(db, user.id);
  outsider = await ctxFor(db, (await makeUser(db)).id);
  const offering = await makeOffering(db);
  const base = Date.parse("2026-11-01T00:00:00Z");
  const row = (i: number) => ({
    projectId: project.id,
    ownerId: user.id,
    offeringId: offering.id,
    name: `w-${String(i % 40).padStart(2, "0")}`,
    image: `nginx:1.${i % 5}`,
    replicas: 1,
    reservedReplicas: 1,
    vcpu: 1,
    memoryMb: 256,
    monthlyCents: 100,
    state: LIVE[i % LIVE.length],
    // Ten rows share each creation instant.
    createdAt: new Date(base + Math.floor(i / 10) * 1000),
  });
  await db.workload.createMany({ data: Array.from({ length: N }, (_, i) => row(i)) });
  // Deleted ones are not listed; another project's are not seen.
  await db.workload.createMany({ data: [{ ...row(0), state: "DELETED" }] });
  const other = await makeProject(db);
  await db.workload.createMany({ data: [{ ...row(1), projectId: other.id, name: "elsewhere" }] });
});
afterAll(async () => {
  await t.drop();
});

async function reference(sort: (typeof WORKLOAD_SORTS)[number], dir: SortDir): Promise<string[]> {
  const key: Prisma.WorkloadOrderByWithRelationInput = sort === "created" ? { createdAt: dir } : sort === "name" ? { name: dir } : { state: dir };
  const rows = await db.workload.findMany({ where: { projectId, state: { not: "DELETED" } }, orderBy: [key, { id: dir }], select: { id: true } });
  return rows.map((r) => r.id);
}

describe("workloads list", () => {
  it("walks past 200 rows in every sort and direction: each workload once, in (key, id) order", async () => {
    for (const sort of WORKLOAD_SORTS) {
      for (const dir of [undefined, "asc", "desc"] as const) {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await listWorkloads(member, listWorkloadsSchema.parse({ sort, dir, cursor }), { withProjects: false });
          expect(page.items.length).toBeLessThanOrEqual(PAGE_SIZE);
          seen.push(...page.items.map((w) => w.id));
          cursor = page.nextCursor ?? undefined;
          pages++;
        } while (cursor && pages < 50);
        expect(seen, `${sort} ${dir}`).toEqual(await reference(sort, dir ?? (sort === "created" ? "desc" : "asc")));
        expect(pages).toBe(Math.ceil(N / PAGE_SIZE));
      }
    }
  });

  it("keeps filters across pages and starts over on a cursor that does not fit the sort", async () => {
    const found: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listWorkloads(member, listWorkloadsSchema.parse({ sort: "state", q: "nginx:1.3", cursor }));
      expect(page.items.every((w) => w.image === "nginx:1.3")).toBe(true);
      found.push(...page.items.map((w) => w.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(found).size).toBe(N / 5);
    const forged = await listWorkloads(member, listWorkloadsSchema.parse({ sort: "state", cursor: encodeKeyCursor("NOT_A_STATE", randomUUID()) }));
    expect(forged.items.map((w) => w.id)).toEqual((await reference("state", "asc")).slice(0, PAGE_SIZE));
    expect((await listWorkloads(outsider, listWorkloadsSchema.parse({}))).items).toEqual([]);
  });

  it("exports every visible workload in the list's order, and nothing to an outsider", async () => {
    const rows: unknown[][] = [];
    for await (const r of exportWorkloads(member, listWorkloadsSchema.parse({ sort: "name", dir: "desc" }))()) rows.push(r);
    expect(rows.map((r) => r[0])).toEqual(await reference("name", "desc"));
    expect(rows.every((r) => r.length === WORKLOAD_CSV_HEADER.length)).toBe(true);
    expect(rows.some((r) => r[1] === "elsewhere")).toBe(false);
    const none: unknown[] = [];
    for await (const r of exportWorkloads(outsider, listWorkloadsSchema.parse({}))()) none.push(r);
    expect(none).toEqual([]);
  });
});

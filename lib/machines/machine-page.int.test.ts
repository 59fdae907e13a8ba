// The machine list's one-statement page (machine-page.ts) against the Prisma queries it
// replaced (kept below as the reference, verbatim): the same items, counts, page numbers and
// cursors for every sort, direction, filter, search and cursor, seen by an administrator, a
// member, a viewer, a member through a group only and an outsider.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeProject, makeUser } from "../../test/factories";
import { makeMachine, makeProvider } from "../../test/machine-factories";
import type { Ctx } from "../context";
import type { Db, Prisma } from "../db/client";
import { projectsWhere } from "../auth/permissions";
import { containsText, startsWithText } from "../db/like";
import { MachineState } from "../generated/prisma/enums";
import { COUNT_CAP, decodeKeyCursor, encodeKeyCursor, encodeCursor, pageCount, PAGE_SIZE, pageWindow, type SortDir } from "../pagination";
import { listMachines } from "./list-machines";
import { listMachinesSchema, MACHINE_SORTS, type ListMachinesInput, type MachineSort } from "./schemas";

// ---- The reference: listMachines' page and count as Prisma queries (before issue 9's apiperf).
const SORT_COLUMN = { created: "createdAt", name: "name", state: "state", cost: "monthlyCents" } as const;
const STATES = Object.values(MachineState);
function sortValue(sort: MachineSort, m: { createdAt: Date; name: string; state: MachineState; monthlyCents: number }): string | number {
  if (sort === "created") return m.createdAt.toISOString();
  if (sort === "name") return m.name;
  if (sort === "state") return m.state;
  return m.monthlyCents;
}
function keysetAfter(sort: MachineSort, dir: SortDir, tie: SortDir, c: { value: string | number | null; id: string }): Prisma.MachineWhereInput | null {
  const idAfter = { id: tie === "asc" ? { gt: c.id } : { lt: c.id } };
  const op = dir === "asc" ? "gt" : "lt";
  if (sort === "state") {
    const i = STATES.indexOf(c.value as MachineState);
    if (i < 0) return null;
    const later = dir === "asc" ? STATES.slice(i + 1) : STATES.slice(0, i);
    return { OR: [{ state: { in: later } }, { state: STATES[i], ...idAfter }] };
  }
  if (sort === "cost") {
    if (typeof c.value !== "number" || !Number.isInteger(c.value)) return null;
    return { OR: [{ monthlyCents: { [op]: c.value } }, { monthlyCents: c.value, ...idAfter }] };
  }
  if (typeof c.value !== "string") return null;
  if (sort === "name") return { OR: [{ name: { [op]: c.value } }, { name: c.value, ...idAfter }] };
  const at = new Date(c.value);
  if (Number.isNaN(at.getTime())) return null;
  return { AND: [{ createdAt: dir === "desc" ? { lte: at } : { gte: at } }, { OR: [{ createdAt: { [op]: at } }, { createdAt: at, ...idAfter }] }] };
}
async function reference(ctx: Ctx, input: ListMachinesInput) {
  const readable = projectsWhere(ctx.actor, "machine.read");
  const projectIds = input.projectId ? (readable === null || readable.includes(input.projectId) ? [input.projectId] : []) : readable;
  const where: Prisma.MachineWhereInput = {
    ...(projectIds === null ? {} : { projectId: { in: projectIds } }),
    state: input.state ?? { not: "DELETED" },
    ...(input.providerId ? { providerId: input.providerId } : {}),
    ...(input.q ? { OR: [{ name: containsText(input.q) }, { ipAddress: startsWithText(input.q) }] } : {}),
  };
  const sort: MachineSort = input.sort ?? "created";
  const dir: SortDir = input.dir ?? (sort === "created" ? "desc" : "asc");
  const tie: SortDir = dir === "asc" ? "desc" : "asc";
  const page = input.page ?? 1;
  const cursor = decodeKeyCursor(input.cursor);
  const after = cursor ? keysetAfter(sort, dir, tie, cursor) : null;
  const keyset: Prisma.MachineWhereInput | null = after ? { AND: [where, after] } : null;
  const [counted, rows] = await Promise.all([
    ctx.db.machine.count({ where, take: COUNT_CAP + 1 }),
    ctx.db.machine.findMany({
      where: keyset ?? where,
      orderBy: [{ [SORT_COLUMN[sort]]: dir }, { id: tie }],
      ...(keyset ? { take: PAGE_SIZE + 1 } : { skip: pageWindow(page).skip, take: PAGE_SIZE + 1 }),
      include: {
        project: { select: { name: true } },
        offering: { select: { name: true } },
        template: { select: { name: true } },
        provider: { select: { name: true } },
        host: { select: { name: true } },
        operations: { where: { status: { in: ["QUEUED", "RUNNING"] } }, orderBy: { createdAt: "asc" }, take: 1, select: { id: true, kind: true, status: true, progress: true } },
      },
    }),
  ]);
  const more = rows.length > PAGE_SIZE;
  const shown = more ? rows.slice(0, PAGE_SIZE) : rows;
  const last = shown.at(-1);
  const total = Math.min(counted, COUNT_CAP);
  return {
    items: shown.map((m) => ({
      id: m.id,
      name: m.name,
      state: m.state,
      projectId: m.projectId,
      projectName: m.project.name,
      offeringName: m.offering.name,
      templateName: m.template.name,
      providerName: m.provider?.name ?? null,
      hostName: m.host?.name ?? null,
      ipAddress: m.ipAddress,
      monthlyCents: m.monthlyCents,
      leaseEndsAt: m.leaseEndsAt?.toISOString() ?? null,
      currentOperation: m.operations[0] ?? null,
      updatedAt: m.updatedAt.toISOString(),
    })),
    total,
    totalCapped: counted > COUNT_CAP,
    page: keyset ? 0 : page,
    pageCount: pageCount(total),
    nextCursor: more && last ? encodeKeyCursor(sortValue(sort, last), last.id) : null,
  };
}
// ---- end of the reference

let t: TestDatabase;
let db: Db;
const actors: Record<string, Ctx> = {};
let projects: string[] = [];
let providerId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  projects = [(await makeProject(db)).id, (await makeProject(db)).id, (await makeProject(db)).id];
  const [a, b, c] = projects;
  const member = await makeUser(db);
  const viewer = await makeUser(db);
  const viaGroup = await makeUser(db);
  const outsider = await makeUser(db);
  await addMember(db, a, member.id, "MEMBER");
  await addMember(db, b, viewer.id, "VIEWER");
  const group = await db.group.create({ data: { name: "list-readers" } });
  await db.groupMember.create({ data: { groupId: group.id, userId: viaGroup.id } });
  await db.groupProjectRole.create({ data: { groupId: group.id, projectId: c, role: "VIEWER" } });
  actors.admin = await ctxFor(db, (await makeUser(db, { role: "ADMIN" })).id);
  actors.member = await ctxFor(db, member.id);
  actors.viewer = await ctxFor(db, viewer.id);
  actors.viaGroup = await ctxFor(db, viaGroup.id);
  actors.outsider = await ctxFor(db, outsider.id);

  // 45 machines: names with LIKE's special characters and mixed case, every state, some not
  // placed, IP addresses, equal costs and equal creation times (the id breaks those ties),
  // leases, and current operations (two active ones: the older is shown).
  const names = ["Web-01", "web-02", "WEB_03", "web%04", "db-01", "db_02", "db\\03", "cache-1", "Ünïcode-ä", "a", "z", "m-m"];
  const sameTime = new Date("2026-11-01T10:00:00.123Z");
  const provider = await makeProvider(db);
  providerId = provider.id;
  for (let i = 0; i < 45; i++) {
    const m = await makeMachine(db, { projectId: projects[i % 3], ownerId: member.id, state: STATES[i % STATES.length], name: `${names[i % names.length]}${i >= names.length ? `-${i}` : ""}`, placed: i % 5 !== 0 });
    await db.machine.update({
      where: { id: m.id },
      data: {
        monthlyCents: (i % 4) * 1000,
        ipAddress: i % 3 === 0 ? null : `10.0.${i % 7}.${i}`,
        leaseEndsAt: i % 4 === 0 ? new Date(Date.UTC(2027, 0, 1 + i, 12, 30, 15, 7)) : null,
        ...(i % 6 === 0 ? { createdAt: sameTime } : {}),
        ...(i % 9 === 0 ? { providerId: provider.id, hostId: null } : {}),
      },
    });
    if (i % 7 === 0) {
      await db.operation.create({ data: { machineId: m.id, kind: "STOP", status: "SUCCEEDED", createdAt: new Date("2026-10-01T00:00:00Z") } });
      await db.operation.create({ data: { machineId: m.id, kind: "START", status: "RUNNING", progress: 40, createdAt: new Date("2026-10-02T00:00:00Z") } });
      await db.operation.create({ data: { machineId: m.id, kind: "REBOOT", status: "QUEUED", createdAt: new Date("2026-10-03T00:00:00Z") } });
    }
  }
});

afterAll(async () => {
  await t?.drop();
});

const FILTERS: Record<string, () => Partial<ListMachinesInput>> = {
  none: () => ({}),
  running: () => ({ state: "RUNNING" }),
  deleted: () => ({ state: "DELETED" }),
  provider: () => ({ providerId }),
  project: () => ({ projectId: projects[0] }),
  foreignProject: () => ({ projectId: projects[1] }),
  qCase: () => ({ q: "WEB" }),
  qPercent: () => ({ q: "%" }),
  qUnderscore: () => ({ q: "_0" }),
  qBackslash: () => ({ q: "\\" }),
  qUnicode: () => ({ q: "üNÏ" }),
  qIp: () => ({ q: "10.0.3" }),
};

/** Every page of a list, by cursor from the first page, then by page numbers. */
async function walk(list: (input: ListMachinesInput) => Promise<unknown>, base: Partial<ListMachinesInput>) {
  const pages: unknown[] = [];
  let input = listMachinesSchema.parse(base);
  for (let n = 0; n < 10; n++) {
    const page = (await list(input)) as { nextCursor: string | null };
    pages.push(page);
    if (!page.nextCursor) break;
    input = { ...input, cursor: page.nextCursor };
  }
  for (const page of [2]) pages.push(await list(listMachinesSchema.parse({ ...base, page })));
  return pages;
}

const strip = ({ projects: _p, providers: _v, busy: _b, ...rest }: Awaited<ReturnType<typeof listMachines>>) => rest;

describe("machinePage: the same lists as the Prisma queries it replaced", () => {
  for (const actor of ["admin", "member", "viewer", "viaGroup", "outsider"]) {
    it(`as ${actor}: every sort, direction and filter, every page`, async () => {
      const ctx = actors[actor];
      let nonEmpty = 0;
      for (const sort of MACHINE_SORTS)
        for (const dir of ["asc", "desc"] as const)
          for (const [fname, filter] of Object.entries(FILTERS)) {
            const base = { sort, dir, ...filter() };
            const ours = await walk(async (input) => strip(await listMachines(ctx, input, { withProjects: false })), base);
            const theirs = await walk((input) => reference(ctx, input), base);
            expect(ours, `${fname} ${sort} ${dir}`).toEqual(theirs);
            if ((ours[0] as { items: unknown[] }).items.length) nonEmpty++;
          }
      // The comparison is not vacuous: most lists have rows (none for the outsider).
      if (actor === "outsider") expect(nonEmpty).toBe(0);
      else expect(nonEmpty).toBeGreaterThan(30);
    }, 300_000);
  }

  it("shows names, the older active operation, leases and the creation-time ties exactly", async () => {
    const ours = await listMachines(actors.admin, listMachinesSchema.parse({}), { withProjects: false });
    const withOp = ours.items.find((m) => m.currentOperation);
    expect(withOp?.currentOperation).toMatchObject({ kind: "START", status: "RUNNING", progress: 40 });
    expect(ours.items.some((m) => m.leaseEndsAt?.endsWith(".007Z"))).toBe(true);
    expect(ours.items.some((m) => m.providerName !== null && m.hostName === null)).toBe(true);
    expect(ours.items.some((m) => m.providerName === null)).toBe(true);
    expect(ours.items).toEqual((await reference(actors.admin, listMachinesSchema.parse({}))).items);
  });

  it("treats cursors that do not fit the sort (or are forged) as the reference does", async () => {
    const id = "00000000-0000-4000-8000-000000000000";
    const cursors = [
      encodeKeyCursor("RUNNING", id),
      encodeKeyCursor(1000, id),
      encodeKeyCursor(1.5, id),
      encodeKeyCursor(null, id),
      encodeKeyCursor("not a date", id),
      encodeKeyCursor("NOPE", id),
      encodeKeyCursor(2 ** 40, id),
      encodeCursor(new Date("2026-11-01T10:00:00.123Z"), id),
      "garbage",
    ];
    for (const sort of MACHINE_SORTS)
      for (const dir of ["asc", "desc"] as const)
        for (const cursor of cursors) {
          const input = listMachinesSchema.parse({ sort, dir, cursor });
          const ours = strip(await listMachines(actors.admin, input, { withProjects: false }));
          if (sort === "cost" && cursor === cursors[6]) {
            // Out of int4: Prisma sends it anyway and PostgreSQL refuses; the list starts over.
            expect(ours.page).toBe(1);
            continue;
          }
          expect(ours).toEqual(await reference(actors.admin, input));
        }
  }, 180_000);
});

// My requests' one-statement page (my-requests-page.ts) against the Prisma queries it
// replaced (kept below as the reference, verbatim but for the count capped at COUNT_CAP + 1):
// the same items, counts, page numbers and cursors for every sort, direction, status and
// search, walked by cursor and by page number, with forged cursors, for several kinds of
// reader (a requester with many requests, one with a few, an administrator and a user with
// none of their own).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { ctxFor, makeOffering, makeProject, makeTemplate, makeUser } from "../../test/factories";
import type { Ctx } from "../context";
import type { Db, Prisma } from "../db/client";
import { RequestStatus } from "../generated/prisma/enums";
import { COUNT_CAP, encodeCursor, encodeKeyCursor, pageCount, pageWindow, PAGE_SIZE } from "../pagination";
import { env } from "../env";
import { listMyRequests } from "./list-my-requests";
import { myRequestsPageSql } from "./my-requests-page";
import { REQUEST_SORTS, requestCursor, requestOrder, requestsAfter, requestSearch } from "./request-list-order";
import { listMyRequestsSchema, type ListMyRequestsInput } from "./schemas";

// ---- The reference: listMyRequests as Prisma queries (before issue 9's pages4).
async function reference(ctx: Ctx, input: ListMyRequestsInput) {
  const search = await requestSearch(ctx.db, input.q, { requester: false });
  const where: Prisma.RequestWhereInput = { requesterId: ctx.actor.id, ...(input.status ? { status: input.status } : {}), ...(search ?? {}) };
  const sort = input.sort ?? "created";
  const dir = input.dir ?? (sort === "project" ? "asc" : "desc");
  const after = requestsAfter(sort, dir, input.cursor);
  const counted = await ctx.db.request.count({ where, take: COUNT_CAP + 1 });
  const total = Math.min(counted, COUNT_CAP);
  const page = after ? 0 : Math.min(input.page, pageCount(total));
  const found = await ctx.db.request.findMany({
    where: after ? { AND: [where, after] } : where,
    orderBy: requestOrder(sort, dir),
    ...(after ? { take: PAGE_SIZE + 1 } : { skip: pageWindow(page).skip, take: PAGE_SIZE + 1 }),
    include: {
      project: { select: { id: true, name: true } },
      offering: { select: { id: true, name: true } },
      template: { select: { id: true, name: true } },
      decidedBy: { select: { id: true, name: true } },
    },
  });
  const more = found.length > PAGE_SIZE;
  const rows = more ? found.slice(0, PAGE_SIZE) : found;
  const last = rows.at(-1);
  return {
    items: rows.map((r) => ({
      id: r.id,
      number: r.number,
      status: r.status,
      createdAt: r.createdAt,
      decidedAt: r.decidedAt,
      decisionReason: r.decisionReason,
      decidedBy: r.decidedBy,
      autoApproved: r.autoApproved,
      monthlyCostCents: r.monthlyCostCents,
      quantity: r.quantity,
      names: r.names,
      leaseEndsAt: r.leaseEndsAt,
      project: r.project,
      offering: r.offering,
      template: r.template,
      cancellable: r.status === "PENDING_APPROVAL",
    })),
    page,
    pageCount: pageCount(total),
    nextCursor: more && last ? requestCursor(sort, last) : null,
    sort,
    dir,
    busy: rows.some((r) => r.status === "PENDING_APPROVAL"),
    total,
    totalCapped: counted > COUNT_CAP,
    currency: env().ORQ_CURRENCY,
  };
}
// ---- end of the reference

let t: TestDatabase;
let db: Db;
const actors: Record<string, Ctx> = {};
const STATUSES = Object.values(RequestStatus);

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  const many = await makeUser(db);
  const few = await makeUser(db);
  const decider = await makeUser(db, { name: "Dé Cider" });
  const admin = await makeUser(db, { role: "ADMIN" });
  const none = await makeUser(db);
  actors.many = await ctxFor(db, many.id);
  actors.few = await ctxFor(db, few.id);
  actors.admin = await ctxFor(db, admin.id);
  actors.none = await ctxFor(db, none.id);

  // Project and offering names with LIKE's special characters, case and accents; equal
  // project names cannot exist (unique), equal costs and equal creation times do (the id
  // breaks those ties).
  const projectNames = ["Web Team", "web_team", "Data%Lab", "Ünïcode Ops", "back\\slash", "zeta"];
  const projects = [];
  for (const name of projectNames) projects.push(await db.project.update({ where: { id: (await makeProject(db)).id }, data: { name } }));
  const offerings = [];
  for (const name of ["Small", "LARGE_1", "medium%"]) offerings.push(await db.offering.update({ where: { id: (await makeOffering(db)).id }, data: { name } }));
  const templates = [await makeTemplate(db), await makeTemplate(db)];
  const sameTime = new Date("2026-11-01T10:00:00.123Z");
  const who = (i: number) => (i % 10 === 9 ? few.id : i % 17 === 0 ? admin.id : many.id);
  for (let i = 0; i < 70; i++) {
    const status = STATUSES[i % STATUSES.length];
    const decided = status !== "PENDING_APPROVAL" && status !== "CANCELLED";
    await db.request.create({
      data: {
        projectId: projects[i % projects.length].id,
        requesterId: who(i),
        offeringId: offerings[i % offerings.length].id,
        templateId: templates[i % 2].id,
        quantity: 1 + (i % 3),
        names: i % 3 === 0 ? [`vm-${i}`, `web-${i}`] : [`db-${i}`],
        status,
        monthlyCostCents: (i % 4) * 1500,
        autoApproved: i % 5 === 0,
        decisionReason: decided && i % 2 === 0 ? `reason ${i}` : null,
        decidedById: decided && i % 3 !== 0 ? decider.id : null,
        decidedAt: decided ? new Date(Date.UTC(2026, 10, 2, 8, 0, i, 5)) : null,
        leaseEndsAt: i % 4 === 0 ? new Date(Date.UTC(2027, 0, 1 + i, 12, 30, 15, 7)) : null,
        createdAt: i % 6 === 0 ? sameTime : new Date(Date.UTC(2026, 9, 1, 0, i, 0, i)),
      },
    });
  }
});

afterAll(async () => {
  await t?.drop();
});

const FILTERS: Record<string, Partial<ListMyRequestsInput>> = {
  none: {},
  pending: { status: "PENDING_APPROVAL" },
  fulfilled: { status: "FULFILLED" },
  qCase: { q: "WEB" },
  qPercent: { q: "%" },
  qUnderscore: { q: "_" },
  qBackslash: { q: "\\" },
  qUnicode: { q: "üNÏ" },
  qOffering: { q: "large" },
  qMachineName: { q: "VM-3" },
  qNumber: { q: "#5" },
  qBareNumber: { q: "12" },
  qAndStatus: { q: "web", status: "REJECTED" },
};

/** Every page of a list, by cursor from the first page, then by page numbers (one past the last too). */
async function walk(list: (input: ListMyRequestsInput) => Promise<unknown>, base: Record<string, unknown>) {
  const pages: unknown[] = [];
  let input = listMyRequestsSchema.parse(base);
  for (let n = 0; n < 10; n++) {
    const page = (await list(input)) as { nextCursor: string | null };
    pages.push(page);
    if (!page.nextCursor) break;
    input = { ...input, cursor: page.nextCursor };
  }
  for (const page of [2, 3, 9]) pages.push(await list(listMyRequestsSchema.parse({ ...base, page })));
  return pages;
}

describe("myRequestsPage: the same lists as the Prisma queries it replaced", () => {
  for (const actor of ["many", "few", "admin", "none"]) {
    it(`as ${actor}: every sort, direction, status and search, every page`, async () => {
      const ctx = actors[actor];
      let nonEmpty = 0;
      for (const sort of REQUEST_SORTS)
        for (const dir of ["asc", "desc"] as const)
          for (const [fname, filter] of Object.entries(FILTERS)) {
            const base = { sort, dir, ...filter };
            const ours = await walk((input) => listMyRequests(ctx, input), base);
            const theirs = await walk((input) => reference(ctx, input), base);
            expect(ours, `${fname} ${sort} ${dir}`).toEqual(theirs);
            if ((ours[0] as { items: unknown[] }).items.length) nonEmpty++;
          }
      // The comparison is not vacuous: most lists have rows (none for a user without requests).
      if (actor === "none") expect(nonEmpty).toBe(0);
      else expect(nonEmpty).toBeGreaterThan(actor === "many" ? 50 : 20);
    }, 300_000);
  }

  it("shows the relations, dates and ties exactly, and more than one page for the default order", async () => {
    const ours = await listMyRequests(actors.many, listMyRequestsSchema.parse({}));
    expect(ours.pageCount).toBeGreaterThan(2);
    expect(ours.nextCursor).not.toBeNull();
    expect(ours.items.some((r) => r.decidedBy?.name === "Dé Cider")).toBe(true);
    expect(ours.items.some((r) => r.decidedBy === null)).toBe(true);
    expect(ours.items.some((r) => r.leaseEndsAt?.getUTCMilliseconds() === 7)).toBe(true);
    expect(ours.items.every((r) => r.createdAt instanceof Date)).toBe(true);
    expect(ours).toEqual(await reference(actors.many, listMyRequestsSchema.parse({})));
  });

  it("treats cursors that do not fit the sort (or are forged) as the reference does", async () => {
    const id = "00000000-0000-4000-8000-000000000000";
    const cursors = [
      encodeKeyCursor("Web Team", id),
      encodeKeyCursor(1500, id),
      encodeKeyCursor(1.5, id),
      encodeKeyCursor(null, id),
      encodeKeyCursor("not a date", id),
      encodeKeyCursor(2 ** 40, id),
      encodeCursor(new Date("2026-11-01T10:00:00.123Z"), id),
      "garbage",
    ];
    for (const sort of REQUEST_SORTS)
      for (const dir of ["asc", "desc"] as const)
        for (const cursor of cursors) {
          const input = listMyRequestsSchema.parse({ sort, dir, cursor });
          const ours = await listMyRequests(actors.many, input);
          if (sort === "cost" && cursor === cursors[5]) {
            // Out of int4: Prisma sends it anyway and PostgreSQL refuses; the list starts over.
            expect(ours.page).toBe(1);
            continue;
          }
          expect(ours, `${sort} ${dir} ${cursor}`).toEqual(await reference(actors.many, input));
        }
  }, 180_000);

  it("uses the (requesterId, createdAt DESC, id DESC) index and stops after a page", async () => {
    const { sql } = myRequestsPageSql({ requesterId: actors.many.actor.id, sort: "created", dir: "desc", after: null, page: 1 });
    const plan = await db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      const r = await tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${sql.text}`, ...sql.values);
      return r.map((x) => x["QUERY PLAN"]).join("\n");
    });
    expect(plan).toContain("Request_requesterId_createdAt_id_idx");
    expect(plan).not.toMatch(/Sort Key: r\."createdAt"/);
  });
});

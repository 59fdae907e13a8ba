// One page of the caller's requests (My requests, GET /api/v1/requests) and its capped count
// in ONE statement (issue 9, per-call cost), as lib/machines/machine-page.ts does for
// machines: the page's rows with their project, offering, template and decider, built as
// JSON in PostgreSQL. Through Prisma's include the same page took a count, the page and one
// statement per relation (up to 6), each compiled by the client and its rows interpreted back
// (BENCHMARKS.md, "API list per-call cost").
import "server-only";
import type { Db, Tx } from "../db/client";
import { Prisma } from "../db/client";
import { escapeLike } from "../db/like";
import type { RequestStatus } from "../generated/prisma/enums";
import { COUNT_CAP, PAGE_SIZE, type SortDir } from "../pagination";
import type { RequestSort } from "./request-list-order";

export interface MyRequestsPageQuery {
  requesterId: string;
  status?: RequestStatus;
  /** Project or offering name contains (any case), a machine name, or `#number`/number. */
  q?: string;
  sort: RequestSort;
  dir: SortDir;
  /** Keyset: rows after (value, id) of the last row shown; else the page `page` names. */
  after: { value: string | number | null; id: string } | null;
  /** 1-based; clamped in the statement to the last page of the (capped) count. */
  page: number;
}

interface Named {
  id: string;
  name: string;
}

export interface MyRequestRow {
  id: string;
  number: number;
  status: RequestStatus;
  createdAt: Date;
  decidedAt: Date | null;
  decisionReason: string | null;
  decidedBy: Named | null;
  autoApproved: boolean;
  monthlyCostCents: number;
  quantity: number;
  names: string[];
  leaseEndsAt: Date | null;
  project: Named;
  offering: Named;
  template: Named;
  /** The sort key's value (for the next cursor). */
  sortValue: string | number;
}

export interface MyRequestsPage {
  /** At most COUNT_CAP + 1. */
  counted: number;
  /** The page shown (0 with a cursor). */
  page: number;
  /** At most PAGE_SIZE + 1 (one more says there is a next page). */
  rows: MyRequestRow[];
  /** The page continues from `after`: false without a cursor, or when the cursor does not fit the sort. */
  keyset: boolean;
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const iso = (col: Prisma.Sql) => Prisma.sql`to_char(${col}, ${Prisma.raw(ISO)})`;
const COLUMN = { created: Prisma.sql`r."createdAt"`, cost: Prisma.sql`r."monthlyCostCents"`, project: Prisma.sql`pr.name` } as const;

/**
 * The rows after (v, id) in the order (key dir, id dir), as SQL (request-list-order.ts's
 * requestsAfter); null when the cursor's value does not fit the sort (another sort's, forged).
 */
function afterSql(sort: RequestSort, dir: SortDir, c: { value: string | number | null; id: string }): Prisma.Sql | null {
  const cmp = Prisma.raw(dir === "asc" ? ">" : "<");
  const idAfter = Prisma.sql`r.id ${cmp} ${c.id}::uuid`;
  if (sort === "cost") {
    if (typeof c.value !== "number" || !Number.isInteger(c.value) || Math.abs(c.value) > 2 ** 31 - 1) return null;
    return Prisma.sql`(r."monthlyCostCents" ${cmp} ${c.value}::int OR (r."monthlyCostCents" = ${c.value}::int AND ${idAfter}))`;
  }
  if (typeof c.value !== "string") return null;
  if (sort === "project") return Prisma.sql`(pr.name ${cmp} ${c.value} OR (pr.name = ${c.value} AND ${idAfter}))`;
  const at = new Date(c.value);
  if (Number.isNaN(at.getTime())) return null;
  const ts = at.toISOString();
  // The redundant bound lets the (requesterId, createdAt DESC, id DESC) index start at the cursor.
  const bound = Prisma.raw(dir === "desc" ? "<=" : ">=");
  return Prisma.sql`(r."createdAt" ${bound} ${ts}::timestamp(3) AND (r."createdAt" ${cmp} ${ts}::timestamp(3) OR (r."createdAt" = ${ts}::timestamp(3) AND ${idAfter})))`;
}

/** The statement of myRequestsPage (bench/explain.ts may print its plan). */
export function myRequestsPageSql(q: MyRequestsPageQuery): { sql: Prisma.Sql; keyset: boolean } {
  const filters: Prisma.Sql[] = [Prisma.sql`r."requesterId" = ${q.requesterId}::uuid`];
  if (q.status) filters.push(Prisma.sql`r.status = ${q.status}::"RequestStatus"`);
  const text = q.q?.trim();
  if (text) {
    // As request-list-order.ts's requestSearch (without the requester: these are the caller's
    // own): project or offering name, part of a machine name (namesText), the number when the
    // text is one; the text matched literally (LIKE's wildcards escaped, lib/db/like.ts).
    const n = /^#?(\d{1,9})$/.exec(text);
    const pattern = `%${escapeLike(text)}%`;
    filters.push(Prisma.sql`(pr.name ILIKE ${pattern} OR o.name ILIKE ${pattern} OR r."namesText" ILIKE ${pattern}${n ? Prisma.sql` OR r.number = ${Number(n[1])}::int` : Prisma.empty})`);
  }
  const where = Prisma.join(filters, " AND ");
  // The names are joined where the filter or the order needs them only.
  const names = Prisma.sql`JOIN "Project" pr ON pr.id = r."projectId" JOIN "Offering" o ON o.id = r."offeringId"`;
  const countFrom = text ? names : Prisma.empty;
  const pageFrom = text || q.sort === "project" ? names : Prisma.empty;
  const after = q.after ? afterSql(q.sort, q.dir, q.after) : null;
  const pageWhere = after ? Prisma.sql`${where} AND ${after}` : where;
  const key = COLUMN[q.sort];
  const d = Prisma.raw(q.dir === "asc" ? "ASC" : "DESC");
  const sortValue = q.sort === "created" ? iso(Prisma.sql`r."createdAt"`) : key;
  // Without a cursor the page asked for, at most the last page of the capped count.
  const shown = after
    ? Prisma.sql`0`
    : Prisma.sql`LEAST(${Math.max(1, Math.trunc(q.page))}::int, GREATEST(1, ceil(LEAST((SELECT n FROM counted), ${COUNT_CAP}::int) / ${PAGE_SIZE}::numeric)::int))`;
  const offset = after ? Prisma.empty : Prisma.sql`OFFSET ((SELECT p FROM shown) - 1) * ${PAGE_SIZE}::int`;
  const sql = Prisma.sql`
    WITH counted AS (
      SELECT count(*)::int AS n FROM (
        SELECT 1 FROM "Request" r ${countFrom}
        WHERE ${where} LIMIT ${COUNT_CAP + 1}::int
      ) c
    ),
    shown AS (SELECT ${shown} AS p),
    page AS (
      SELECT r.*, pr.name AS "projectName", o.name AS "offeringName", ${sortValue} AS "sortValue",
             row_number() OVER (ORDER BY ${key} ${d}, r.id ${d}) AS ord
      FROM (
        SELECT r.id, r.number, r.status, r."createdAt", r."decidedAt", r."decisionReason", r."decidedById", r."autoApproved",
               r."monthlyCostCents", r.quantity, r.names, r."leaseEndsAt", r."projectId", r."offeringId", r."templateId"
        FROM "Request" r ${pageFrom}
        WHERE ${pageWhere}
        ORDER BY ${key} ${d}, r.id ${d}
        LIMIT ${PAGE_SIZE + 1}::int ${offset}
      ) r
      ${names}
    )
    SELECT
      (SELECT n FROM counted) AS counted,
      (SELECT p FROM shown) AS page,
      coalesce((
        SELECT json_agg(json_build_object(
          'id', p.id, 'number', p.number, 'status', p.status, 'createdAt', ${iso(Prisma.sql`p."createdAt"`)},
          'decidedAt', ${iso(Prisma.sql`p."decidedAt"`)}, 'decisionReason', p."decisionReason",
          'decidedBy', CASE WHEN u.id IS NULL THEN NULL ELSE json_build_object('id', u.id, 'name', u.name) END,
          'autoApproved', p."autoApproved", 'monthlyCostCents', p."monthlyCostCents", 'quantity', p.quantity,
          'names', to_json(p.names), 'leaseEndsAt', ${iso(Prisma.sql`p."leaseEndsAt"`)},
          'project', json_build_object('id', p."projectId", 'name', p."projectName"),
          'offering', json_build_object('id', p."offeringId", 'name', p."offeringName"),
          'template', json_build_object('id', t.id, 'name', t.name),
          'sortValue', p."sortValue"
        ) ORDER BY p.ord)
        FROM page p
        JOIN "Template" t ON t.id = p."templateId"
        LEFT JOIN "User" u ON u.id = p."decidedById"
      ), '[]'::json) AS items`;
  return { sql, keyset: after !== null };
}

type RawRow = Omit<MyRequestRow, "createdAt" | "decidedAt" | "leaseEndsAt"> & { createdAt: string; decidedAt: string | null; leaseEndsAt: string | null };
const date = (s: string | null) => (s === null ? null : new Date(s));

/**
 * The page and the capped count. A cursor whose value does not fit the sort (from another
 * sort, or forged) is ignored: the page is the one `page` names.
 */
export async function myRequestsPage(db: Db | Tx, q: MyRequestsPageQuery): Promise<MyRequestsPage> {
  const { sql, keyset } = myRequestsPageSql(q);
  const [r] = await db.$queryRaw<{ counted: number; page: number; items: RawRow[] }[]>(sql);
  return {
    counted: r.counted,
    page: r.page,
    keyset,
    rows: r.items.map((x) => ({ ...x, createdAt: new Date(x.createdAt), decidedAt: date(x.decidedAt), leaseEndsAt: date(x.leaseEndsAt) })),
  };
}

// One page of the machine list and its capped count in ONE statement (issue 9, per-call cost):
// the page's rows with their project, offering, template, provider and host names and the
// current operation, built as JSON in PostgreSQL. Through Prisma's include the same page took
// 8 statements (machines, count, then one per relation and the operations), and the client
// spent most of a call's CPU turning their rows into objects (BENCHMARKS.md, "API list
// per-call cost").
import "server-only";
import type { Db, Tx } from "../db/client";
import { Prisma } from "../db/client";
import { escapeLike } from "../db/like";
import { MachineState } from "../generated/prisma/enums";
import { COUNT_CAP, PAGE_SIZE, type SortDir } from "../pagination";
import type { MachineSort } from "./schemas";
import type { MachineListItem } from "./views";

export interface MachinePageQuery {
  /** null: every project (administrators); [] matches nothing. */
  projectIds: string[] | null;
  /** Undefined: every state but DELETED. */
  state?: MachineState;
  providerId?: string;
  /** Name contains (any case) or IP address starts with. */
  q?: string;
  sort: MachineSort;
  dir: SortDir;
  /** Keyset: rows after (value, id) of the last row shown; else `skip` rows are skipped. */
  after: { value: string | number | null; id: string } | null;
  skip: number;
}

/** A listed machine, and its sort key's value (for the next cursor). */
export type MachinePageRow = MachineListItem & { sortValue: string | number };

export interface MachinePage {
  /** At most COUNT_CAP + 1. */
  counted: number;
  /** At most PAGE_SIZE + 1 (one more says there is a next page). */
  rows: MachinePageRow[];
  /** The page continues from `after`: false without a cursor, or when the cursor does not fit the sort. */
  keyset: boolean;
}

const COLUMN = { created: Prisma.sql`m."createdAt"`, name: Prisma.sql`m.name`, state: Prisma.sql`m.state`, cost: Prisma.sql`m."monthlyCents"` } as const;
const STATES = Object.values(MachineState);
const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const iso = (col: Prisma.Sql) => Prisma.sql`to_char(${col}, ${Prisma.raw(ISO)})`;

/**
 * The rows after (v, id) in the order (key dir, id the other way), as SQL; null when the
 * cursor's value does not fit the sort (from another sort, or forged).
 */
function afterSql(sort: MachineSort, dir: SortDir, c: { value: string | number | null; id: string }): Prisma.Sql | null {
  const idAfter = dir === "asc" ? Prisma.sql`m.id < ${c.id}::uuid` : Prisma.sql`m.id > ${c.id}::uuid`;
  const cmp = Prisma.raw(dir === "asc" ? ">" : "<");
  if (sort === "state") {
    // Enums order by declaration: "after" is the set of the states declared later (or earlier).
    const i = STATES.indexOf(c.value as MachineState);
    if (i < 0) return null;
    const later = dir === "asc" ? STATES.slice(i + 1) : STATES.slice(0, i);
    return Prisma.sql`(m.state::text = ANY(${later}::text[]) OR (m.state = ${STATES[i]}::"MachineState" AND ${idAfter}))`;
  }
  if (sort === "cost") {
    if (typeof c.value !== "number" || !Number.isInteger(c.value) || Math.abs(c.value) > 2 ** 31 - 1) return null;
    return Prisma.sql`(m."monthlyCents" ${cmp} ${c.value}::int OR (m."monthlyCents" = ${c.value}::int AND ${idAfter}))`;
  }
  if (typeof c.value !== "string") return null;
  if (sort === "name") return Prisma.sql`(m.name ${cmp} ${c.value} OR (m.name = ${c.value} AND ${idAfter}))`;
  const at = new Date(c.value);
  if (Number.isNaN(at.getTime())) return null;
  const ts = at.toISOString();
  // The redundant bound lets the (createdAt DESC, id) index start at the cursor.
  const bound = Prisma.raw(dir === "desc" ? "<=" : ">=");
  return Prisma.sql`(m."createdAt" ${bound} ${ts}::timestamp(3) AND (m."createdAt" ${cmp} ${ts}::timestamp(3) OR (m."createdAt" = ${ts}::timestamp(3) AND ${idAfter})))`;
}

/**
 * The page and the capped count. A cursor whose value does not fit the sort (from another
 * sort, or forged) is ignored: the page is the one `skip` names.
 */
export async function machinePage(db: Db | Tx, q: MachinePageQuery): Promise<MachinePage> {
  const { sql, keyset } = machinePageSql(q);
  const [r] = await db.$queryRaw<{ counted: number; items: MachinePageRow[] }[]>(sql);
  return { counted: r.counted, rows: r.items, keyset };
}

/** The statement of machinePage (bench/explain.ts prints its plan). */
export function machinePageSql(q: MachinePageQuery): { sql: Prisma.Sql; keyset: boolean } {
  const filters: Prisma.Sql[] = [];
  if (q.projectIds !== null) filters.push(Prisma.sql`m."projectId" = ANY(${q.projectIds}::uuid[])`);
  filters.push(q.state ? Prisma.sql`m.state = ${q.state}::"MachineState"` : Prisma.sql`m.state <> 'DELETED'::"MachineState"`);
  if (q.providerId) filters.push(Prisma.sql`m."providerId" = ${q.providerId}::uuid`);
  // Name contains (any case), IP address starts with; %, _ and \ in the text match literally.
  if (q.q) filters.push(Prisma.sql`(m.name ILIKE ${`%${escapeLike(q.q)}%`} ESCAPE '\\' OR m."ipAddress" LIKE ${`${escapeLike(q.q)}%`} ESCAPE '\\')`);
  const where = Prisma.join(filters, " AND ");
  const after = q.after ? afterSql(q.sort, q.dir, q.after) : null;
  const pageWhere = after ? Prisma.sql`${where} AND ${after}` : where;
  const key = COLUMN[q.sort];
  const keyDir = Prisma.raw(q.dir === "asc" ? "ASC" : "DESC");
  const tieDir = Prisma.raw(q.dir === "asc" ? "DESC" : "ASC");
  const sortValue = q.sort === "created" ? iso(Prisma.sql`m."createdAt"`) : q.sort === "state" ? Prisma.sql`m.state::text` : key;
  const offset = after ? Prisma.empty : Prisma.sql`OFFSET ${q.skip}::int`;
  // The page first (one index scan in the list's order), then its names and current
  // operation per row; the count reads at most COUNT_CAP + 1 index entries.
  const sql = Prisma.sql`
    WITH page AS (
      SELECT m.id, m.name, m.state, m."projectId", m."offeringId", m."templateId", m."providerId", m."hostId",
             m."ipAddress", m."monthlyCents", m."leaseEndsAt", m."updatedAt", ${sortValue} AS "sortValue",
             row_number() OVER (ORDER BY ${key} ${keyDir}, m.id ${tieDir}) AS ord
      FROM (
        SELECT m.id, m.name, m.state, m."projectId", m."offeringId", m."templateId", m."providerId", m."hostId",
               m."ipAddress", m."monthlyCents", m."leaseEndsAt", m."updatedAt", m."createdAt"
        FROM "Machine" m WHERE ${pageWhere}
        ORDER BY ${key} ${keyDir}, m.id ${tieDir}
        LIMIT ${PAGE_SIZE + 1}::int ${offset}
      ) m
    )
    SELECT
      (SELECT count(*)::int FROM (SELECT 1 FROM "Machine" m WHERE ${where} LIMIT ${COUNT_CAP + 1}::int) c) AS counted,
      coalesce((
        SELECT json_agg(json_build_object(
          'id', p.id, 'name', p.name, 'state', p.state, 'projectId', p."projectId",
          'projectName', pr.name, 'offeringName', o.name, 'templateName', t.name,
          'providerName', pv.name, 'hostName', h.name, 'ipAddress', p."ipAddress",
          'monthlyCents', p."monthlyCents", 'leaseEndsAt', ${iso(Prisma.sql`p."leaseEndsAt"`)},
          'currentOperation', op.j, 'updatedAt', ${iso(Prisma.sql`p."updatedAt"`)}, 'sortValue', p."sortValue"
        ) ORDER BY p.ord)
        FROM page p
        JOIN "Project" pr ON pr.id = p."projectId"
        JOIN "Offering" o ON o.id = p."offeringId"
        JOIN "Template" t ON t.id = p."templateId"
        LEFT JOIN "Provider" pv ON pv.id = p."providerId"
        LEFT JOIN "Host" h ON h.id = p."hostId"
        LEFT JOIN LATERAL (
          SELECT json_build_object('id', x.id, 'kind', x.kind, 'status', x.status, 'progress', x.progress) AS j
          FROM "Operation" x
          WHERE x."machineId" = p.id AND x.status IN ('QUEUED', 'RUNNING')
          ORDER BY x."createdAt" ASC
          LIMIT 1
        ) op ON true
      ), '[]'::json) AS items`;
  return { sql, keyset: after !== null };
}

// Order, search and keyset pages shared by the request lists (the approvals queue and My
// requests): sorted by submission time, monthly cost or project name, ties by id in the same
// direction, so (key, id) is a total order and a page continues from (key, id) of its last row
// even when many rows share the key.
import type { Prisma } from "../generated/prisma/client";
import type { Db } from "../db/client";
import { containsText } from "../db/like";
import { decodeKeyCursor, encodeKeyCursor, type SortDir } from "../pagination";

export const REQUEST_SORTS = ["created", "cost", "project"] as const;
export type RequestSort = (typeof REQUEST_SORTS)[number];

export function requestOrder(sort: RequestSort, dir: SortDir): Prisma.RequestOrderByWithRelationInput[] {
  const key: Prisma.RequestOrderByWithRelationInput =
    sort === "created" ? { createdAt: dir } : sort === "cost" ? { monthlyCostCents: dir } : { project: { name: dir } };
  return [key, { id: dir }];
}

/** Past this many matching users, projects or offerings a search filters through the relation instead of by ids. */
const ID_LIST_MAX = 1000;

/**
 * The text search: requester name or e-mail, project, offering, machine names (contains), or
 * `#number`/number. The related tables are searched first and their matches become id lists, so
 * every branch of the OR is an indexed column of Request (requester, project, offering ids, the
 * trigram index on namesText) and PostgreSQL can combine them (BitmapOr) instead of walking the
 * whole list in order and testing each row against subqueries; "web-0" finds shop-web-01.
 */
export async function requestSearch(db: Db, q: string | undefined, fields: { requester?: boolean } = { requester: true }): Promise<Prisma.RequestWhereInput | null> {
  const text = q?.trim();
  if (!text) return null;
  const contains = containsText(text);
  const n = /^#?(\d{1,9})$/.exec(text);
  const ids = async (rows: Promise<{ id: string }[]>) => {
    const found = await rows;
    return found.length > ID_LIST_MAX ? null : found.map((r) => r.id);
  };
  const take = ID_LIST_MAX + 1;
  const [users, projects, offerings] = await Promise.all([
    fields.requester === false ? [] : ids(db.user.findMany({ where: { OR: [{ name: contains }, { email: contains }] }, select: { id: true }, take })),
    ids(db.project.findMany({ where: { name: contains }, select: { id: true }, take })),
    ids(db.offering.findMany({ where: { name: contains }, select: { id: true }, take })),
  ]);
  // By ids when few matched, none when nothing did, through the relation when too many did.
  const branch = (list: string[] | null, byIds: Prisma.RequestWhereInput, byRelation: Prisma.RequestWhereInput) => (list === null ? [byRelation] : list.length ? [byIds] : []);
  return {
    OR: [
      ...branch(users, { requesterId: { in: users ?? [] } }, { requester: { OR: [{ name: contains }, { email: contains }] } }),
      ...branch(projects, { projectId: { in: projects ?? [] } }, { project: { name: contains } }),
      ...branch(offerings, { offeringId: { in: offerings ?? [] } }, { offering: { name: contains } }),
      { namesText: contains },
      ...(n ? [{ number: Number(n[1]) }] : []),
    ],
  };
}

export interface RequestKeyRow {
  id: string;
  createdAt: Date;
  monthlyCostCents: number;
  project: { name: string };
}

export function requestCursor(sort: RequestSort, row: RequestKeyRow): string {
  return encodeKeyCursor(sort === "created" ? row.createdAt : sort === "cost" ? row.monthlyCostCents : row.project.name, row.id);
}

/**
 * The rows after the cursor's (key, id) in the order of `sort`/`dir`; null when there is no
 * cursor or it does not fit the sort (from another sort, or forged): the list starts over.
 */
export function requestsAfter(sort: RequestSort, dir: SortDir, cursor: string | undefined): Prisma.RequestWhereInput | null {
  const c = decodeKeyCursor(cursor);
  if (!c) return null;
  const op = dir === "asc" ? "gt" : "lt";
  const idAfter = { id: { [op]: c.id } };
  if (sort === "cost") {
    if (typeof c.value !== "number" || !Number.isInteger(c.value)) return null;
    return { OR: [{ monthlyCostCents: { [op]: c.value } }, { monthlyCostCents: c.value, ...idAfter }] };
  }
  if (typeof c.value !== "string") return null;
  if (sort === "project") return { OR: [{ project: { name: { [op]: c.value } } }, { project: { name: c.value }, ...idAfter }] };
  const at = new Date(c.value);
  if (Number.isNaN(at.getTime())) return null;
  return { OR: [{ createdAt: { [op]: at } }, { createdAt: at, ...idAfter }] };
}

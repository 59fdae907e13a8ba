import { z } from "zod";

export const pageSchema = z.coerce.number().int().min(1).max(100000).catch(1);
export const PAGE_SIZE = 20;

export function pageWindow(page: number, pageSize = PAGE_SIZE) {
  return { skip: (page - 1) * pageSize, take: pageSize };
}
export const pageCount = (total: number, pageSize = PAGE_SIZE) => Math.max(1, Math.ceil(total / pageSize));

/**
 * Counts stop here: above it a list says "more than COUNT_CAP" instead of counting a whole
 * table on every page (issue 9).
 */
export const COUNT_CAP = 10_000;

/** Opaque keyset cursor of a list ordered by (createdAt DESC, id): the last row shown. */
export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString("base64url");
}

export function decodeCursor(cursor: string | undefined): { createdAt: Date; id: string } | null {
  if (!cursor) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== "string" || typeof v[1] !== "string") return null;
    const createdAt = new Date(v[0]);
    if (Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(v[1])) return null;
    return { createdAt, id: v[1] };
  } catch {
    return null;
  }
}

/**
 * Opaque keyset cursor of a list ordered by (sort key, id): the sort key's value of the last
 * row shown (text, number or null) and its id. A list ordered by (createdAt, id) writes the
 * same shape as encodeCursor, so its old cursors stay valid.
 */
export function encodeKeyCursor(value: string | number | Date | null, id: string): string {
  return Buffer.from(JSON.stringify([value instanceof Date ? value.toISOString() : value, id])).toString("base64url");
}

export function decodeKeyCursor(cursor: string | undefined): { value: string | number | null; id: string } | null {
  if (!cursor) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(v) || v.length !== 2 || typeof v[1] !== "string" || !/^[0-9a-f-]{36}$/i.test(v[1])) return null;
    if (!(v[0] === null || typeof v[0] === "string" || (typeof v[0] === "number" && Number.isFinite(v[0])))) return null;
    return { value: v[0] as string | number | null, id: v[1] };
  } catch {
    return null;
  }
}

export type SortDir = "asc" | "desc";


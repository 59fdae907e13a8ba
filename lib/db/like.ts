// Text searches ("contains") match what the user typed literally: LIKE's wildcards `%` and `_`
// and its escape character `\` are escaped. PostgreSQL's LIKE/ILIKE escape character is `\` by
// default, and Prisma's `contains`/`startsWith`/`endsWith` pass the text into such a pattern
// unescaped (a search for `_` would match every row), so every search goes through here.

/** `text` with `\`, `%` and `_` escaped for a LIKE pattern whose escape character is `\`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, "\\$&");
}

/** Prisma string filter: contains `text` literally, in any case. */
export function containsText(text: string): { contains: string; mode: "insensitive" } {
  return { contains: escapeLike(text), mode: "insensitive" };
}

/**
 * Prisma string filter: equals `text` in any case, literally. Prisma turns `equals` with
 * `mode: "insensitive"` into ILIKE on PostgreSQL without escaping, so "a_b" would match "axb"
 * and "%" every row (an e-mail "user_1@x" would find the user "userx1@x").
 */
export function equalsText(text: string): { equals: string; mode: "insensitive" } {
  return { equals: escapeLike(text), mode: "insensitive" };
}

/** Prisma string filter: starts with `text` literally (case as typed). */
export function startsWithText(text: string): { startsWith: string } {
  return { startsWith: escapeLike(text) };
}

// Users for administrators: who they are, whether they can sign in (disabled, locked until),
// how many live sessions and API tokens they hold. Deleted users (tombstones) are not listed.
import "server-only";
import { containsText } from "../db/like";
import type { Ctx } from "../context";
import type { Prisma } from "../db/client";
import { assertCan } from "../auth/permissions";
import { decodeKeyCursor, encodeKeyCursor, PAGE_SIZE, pageCount, pageWindow, type SortDir } from "../pagination";
import { USER_SORTS, type ListUsersInput } from "./schemas";
import { toUserRow, userRowSelect } from "./views";

export async function listUsers(ctx: Ctx, input: ListUsersInput) {
  assertCan(ctx.actor, "user.manage");
  const now = ctx.now();
  const where: Prisma.UserWhereInput = {
    deletedAt: null,
    ...(input.q ? { OR: [{ email: containsText(input.q) }, { name: containsText(input.q) }] } : {}),
  };
  const sort = input.sort ?? "email";
  const dir: SortDir = input.dir ?? (sort === "created" ? "desc" : "asc");
  const after = usersAfter(sort, dir, input.cursor);
  const [total, found] = await Promise.all([
    ctx.db.user.count({ where }),
    ctx.db.user.findMany({
      where: after ? { AND: [where, after] } : where,
      orderBy: [{ [SORT_COLUMN[sort]]: dir }, { id: dir }],
      ...(after ? { take: PAGE_SIZE + 1 } : { skip: pageWindow(input.page).skip, take: PAGE_SIZE + 1 }),
      select: userRowSelect(now),
    }),
  ]);
  const more = found.length > PAGE_SIZE;
  const rows = more ? found.slice(0, PAGE_SIZE) : found;
  const last = rows.at(-1);
  return {
    items: rows.map((r) => toUserRow(r, now)),
    page: after ? 0 : input.page,
    pageCount: pageCount(total, PAGE_SIZE),
    total,
    nextCursor: more && last ? encodeKeyCursor(sort === "created" ? last.createdAt : last[SORT_COLUMN[sort] as "email" | "name"], last.id) : null,
    sort,
    dir,
  };
}

const SORT_COLUMN = { email: "email", name: "name", created: "createdAt" } as const;

/** Rows after the cursor's (key, id); null (start over) when it does not fit the sort. */
function usersAfter(sort: (typeof USER_SORTS)[number], dir: SortDir, cursor: string | undefined): Prisma.UserWhereInput | null {
  const c = decodeKeyCursor(cursor);
  if (!c || typeof c.value !== "string") return null;
  const op = dir === "asc" ? "gt" : "lt";
  const idAfter = { id: { [op]: c.id } };
  if (sort === "created") {
    const at = new Date(c.value);
    if (Number.isNaN(at.getTime())) return null;
    return { OR: [{ createdAt: { [op]: at } }, { createdAt: at, ...idAfter }] };
  }
  const col = SORT_COLUMN[sort];
  return { OR: [{ [col]: { [op]: c.value } }, { [col]: c.value, ...idAfter }] };
}

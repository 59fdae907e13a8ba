// Users for administrators: who they are, whether they can sign in (disabled, locked until),
// how many live sessions and API tokens they hold. Deleted users (tombstones) are not listed.
import "server-only";
import type { Ctx } from "../context";
import type { Prisma } from "../db/client";
import { assertCan } from "../auth/permissions";
import { PAGE_SIZE, pageCount, pageWindow } from "../pagination";
import type { ListUsersInput } from "./schemas";
import { toUserRow, userRowSelect } from "./views";

export async function listUsers(ctx: Ctx, input: ListUsersInput) {
  assertCan(ctx.actor, "user.manage");
  const now = ctx.now();
  const where: Prisma.UserWhereInput = {
    deletedAt: null,
    ...(input.q ? { OR: [{ email: { contains: input.q, mode: "insensitive" } }, { name: { contains: input.q, mode: "insensitive" } }] } : {}),
  };
  const [total, rows] = await Promise.all([
    ctx.db.user.count({ where }),
    ctx.db.user.findMany({ where, orderBy: [{ email: "asc" }, { id: "asc" }], ...pageWindow(input.page), select: userRowSelect(now) }),
  ]);
  return { items: rows.map((r) => toUserRow(r, now)), page: input.page, pageCount: pageCount(total, PAGE_SIZE), total };
}

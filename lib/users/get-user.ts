import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import { toUserRow, userRowSelect, type UserRow } from "./views";

export async function getUser(ctx: Ctx, input: { id: string }): Promise<UserRow> {
  assertCan(ctx.actor, "user.manage");
  const now = ctx.now();
  const row = await ctx.db.user.findFirst({ where: { id: input.id, deletedAt: null }, select: userRowSelect(now) });
  if (!row) throw notFound("User");
  return toUserRow(row, now);
}

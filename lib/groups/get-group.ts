import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import { groupRowSelect, toGroupRow, type GroupDetail } from "./views";

export async function getGroup(ctx: Ctx, input: { id: string }): Promise<GroupDetail> {
  assertCan(ctx.actor, "user.manage");
  const g = await ctx.db.group.findUnique({
    where: { id: input.id },
    select: {
      ...groupRowSelect,
      members: { select: { userId: true, source: true, createdAt: true, user: { select: { email: true, name: true, disabled: true, deletedAt: true } } } },
    },
  });
  if (!g) throw notFound("Group");
  return {
    ...toGroupRow(g),
    members: g.members
      .filter((m) => !m.user.deletedAt)
      .map((m) => ({ userId: m.userId, email: m.user.email, name: m.user.name, source: m.source, disabled: m.user.disabled, since: m.createdAt }))
      .sort((a, b) => a.email.localeCompare(b.email)),
  };
}

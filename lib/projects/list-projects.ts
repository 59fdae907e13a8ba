import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";

/** Every project (archived last) with usage against quota and member counts, for administrators. */
export async function listProjects(ctx: Ctx) {
  assertCan(ctx.actor, "project.manage");
  const rows = await ctx.db.project.findMany({
    orderBy: [{ archived: "asc" }, { name: "asc" }],
    include: { _count: { select: { members: true, requests: true, machines: true } } },
  });
  return rows.map(({ _count, createdAt: _c, updatedAt: _u, ...p }) => ({
    ...p,
    memberCount: _count.members,
    hasHistory: _count.requests + _count.machines > 0,
  }));
}

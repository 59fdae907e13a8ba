import "server-only";
import { containsText } from "../db/like";
import type { Ctx } from "../context";
import type { Prisma } from "../db/client";
import { assertCan } from "../auth/permissions";
import type { SortDir } from "../pagination";

import { PROJECT_SORTS, type ProjectSort } from "./schemas";

export { PROJECT_SORTS, type ProjectSort };

/**
 * Every project (archived last) with usage against quota and member counts, for administrators.
 * The page may search (name or slug contains) and sort by name, machines in use or members
 * (ties by id); the API lists them all in the default order.
 */
export async function listProjects(ctx: Ctx, opts: { q?: string; sort?: ProjectSort; dir?: SortDir } = {}) {
  assertCan(ctx.actor, "project.manage");
  const q = opts.q?.trim();
  const where: Prisma.ProjectWhereInput = q ? { OR: [{ name: containsText(q) }, { slug: containsText(q) }] } : {};
  const dir = opts.dir ?? (opts.sort === "name" || !opts.sort ? "asc" : "desc");
  const orderBy: Prisma.ProjectOrderByWithRelationInput[] = !opts.sort
    ? [{ archived: "asc" }, { name: "asc" }]
    : [opts.sort === "name" ? { name: dir } : opts.sort === "machines" ? { usedMachines: dir } : { members: { _count: dir } }, { id: dir }];
  const rows = await ctx.db.project.findMany({
    where,
    orderBy,
    include: { _count: { select: { members: true, requests: true, machines: true } } },
  });
  return rows.map(({ _count, createdAt: _c, updatedAt: _u, ...p }) => ({
    ...p,
    memberCount: _count.members,
    hasHistory: _count.requests + _count.machines > 0,
  }));
}

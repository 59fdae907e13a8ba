import "server-only";
import { containsText } from "../db/like";
import type { Ctx } from "../context";
import type { Prisma } from "../db/client";
import { assertCan } from "../auth/permissions";
import type { SortDir } from "../pagination";
import { groupRowSelect, toGroupRow, type GroupRow } from "./views";

export const GROUP_SORTS = ["name", "idpGroup", "members"] as const;
export type GroupSort = (typeof GROUP_SORTS)[number];

/**
 * Every group with its IdP mapping, administrator flag, project roles and member count;
 * optionally searched (name or IdP group contains) and sorted (ties by id).
 */
export async function listGroups(ctx: Ctx, input: { q?: string; sort?: GroupSort; dir?: SortDir } = {}): Promise<{ items: GroupRow[] }> {
  assertCan(ctx.actor, "user.manage");
  const q = input.q?.trim();
  const dir = input.dir ?? (input.sort === "members" ? "desc" : "asc");
  const orderBy: Prisma.GroupOrderByWithRelationInput[] = !input.sort
    ? [{ name: "asc" }, { id: "asc" }]
    : input.sort === "name"
      ? [{ name: dir }, { id: dir }]
      : input.sort === "idpGroup"
        ? [{ idpGroup: { sort: dir, nulls: "last" } }, { name: "asc" }, { id: "asc" }]
        : [{ members: { _count: dir } }, { name: "asc" }, { id: "asc" }];
  const rows = await ctx.db.group.findMany({
    where: q ? { OR: [{ name: containsText(q) }, { idpGroup: containsText(q) }] } : {},
    orderBy,
    select: groupRowSelect,
    take: 1000,
  });
  return { items: rows.map(toGroupRow) };
}

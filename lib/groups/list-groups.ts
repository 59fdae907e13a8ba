import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { groupRowSelect, toGroupRow, type GroupRow } from "./views";

/** Every group with its IdP mapping, administrator flag, project roles and member count. */
export async function listGroups(ctx: Ctx): Promise<{ items: GroupRow[] }> {
  assertCan(ctx.actor, "user.manage");
  const rows = await ctx.db.group.findMany({ orderBy: [{ name: "asc" }, { id: "asc" }], select: groupRowSelect, take: 1000 });
  return { items: rows.map(toGroupRow) };
}

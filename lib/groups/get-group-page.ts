// A group's administration page: the group with its members, and the projects a role can be
// granted in (the page's select).
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { getGroup } from "./get-group";
import type { GroupDetail } from "./views";

export async function getGroupPage(ctx: Ctx, input: { id: string }): Promise<{ group: GroupDetail; projects: { id: string; name: string }[] }> {
  assertCan(ctx.actor, "user.manage");
  const [group, projects] = await Promise.all([
    getGroup(ctx, input),
    ctx.db.project.findMany({ where: { archived: false }, orderBy: { name: "asc" }, select: { id: true, name: true }, take: 1000 }),
  ]);
  return { group, projects };
}

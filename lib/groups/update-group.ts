import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import type { GroupFields } from "./schemas";
import { groupUniqueError } from "./unique";
import { groupRowSelect, toGroupRow, type GroupRow } from "./views";

/**
 * Renames a group, changes its IdP mapping or administrator flag. Members' rights change at
 * their next request; a new mapping applies to each user at their next sign-in.
 */
export async function updateGroup(ctx: Ctx, input: GroupFields & { id: string }): Promise<GroupRow> {
  assertCan(ctx.actor, "user.manage");
  const { id, ...fields } = input;
  return ctx.db
    .$transaction(async (tx) => {
      const before = await tx.group.findUnique({ where: { id }, select: { name: true, description: true, idpGroup: true, grantsAdmin: true } });
      if (!before) throw notFound("Group");
      const g = await tx.group.update({ where: { id }, data: fields, select: groupRowSelect });
      await recordAudit(tx, ctx, { action: "group.update", targetType: "Group", targetId: id, before, after: fields });
      return toGroupRow(g);
    })
    .catch(groupUniqueError);
}

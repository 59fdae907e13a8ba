import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { recordAudit } from "../audit/record-audit";
import type { GroupFields } from "./schemas";
import { groupUniqueError } from "./unique";
import { groupRowSelect, toGroupRow, type GroupRow } from "./views";

export async function createGroup(ctx: Ctx, input: GroupFields): Promise<GroupRow> {
  assertCan(ctx.actor, "user.manage");
  return ctx.db
    .$transaction(async (tx) => {
      const g = await tx.group.create({ data: input, select: groupRowSelect });
      await recordAudit(tx, ctx, { action: "group.create", targetType: "Group", targetId: g.id, after: input });
      return toGroupRow(g);
    })
    .catch(groupUniqueError);
}

import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";

/** Deletes a group: its members lose what it granted at once. */
export async function deleteGroup(ctx: Ctx, input: { id: string }): Promise<void> {
  assertCan(ctx.actor, "user.manage");
  await ctx.db.$transaction(async (tx) => {
    const g = await tx.group.findUnique({ where: { id: input.id }, include: { _count: { select: { members: true } } } });
    if (!g) throw notFound("Group");
    await tx.group.delete({ where: { id: g.id } });
    await recordAudit(tx, ctx, { action: "group.delete", targetType: "Group", targetId: g.id, before: { name: g.name, idpGroup: g.idpGroup, grantsAdmin: g.grantsAdmin, members: g._count.members } });
  });
}

// Members an administrator adds or removes by hand (MANUAL). Members the identity provider's
// claim put in the group (IDP) can be removed too, but come back at their next sign-in while
// the IdP still lists them.
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { conflict, notFound, validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";

export async function addGroupMember(ctx: Ctx, input: { groupId: string; email: string }) {
  assertCan(ctx.actor, "user.manage");
  return ctx.db.$transaction(async (tx) => {
    const group = await tx.group.findUnique({ where: { id: input.groupId }, select: { id: true, name: true } });
    if (!group) throw notFound("Group");
    const user = await tx.user.findFirst({ where: { email: input.email, deletedAt: null }, select: { id: true, email: true, name: true } });
    if (!user) throw validationError({ email: ["groups.validation.userUnknown"] });
    const existing = await tx.groupMember.findUnique({ where: { groupId_userId: { groupId: group.id, userId: user.id } } });
    if (existing) throw conflict("Already a member of this group", { reason: "ALREADY_MEMBER" });
    const m = await tx.groupMember.create({ data: { groupId: group.id, userId: user.id, source: "MANUAL" } });
    await recordAudit(tx, ctx, { action: "group.add_member", targetType: "Group", targetId: group.id, after: { userId: user.id, email: user.email } });
    return { groupId: group.id, userId: user.id, email: user.email, name: user.name, source: m.source };
  });
}

export async function removeGroupMember(ctx: Ctx, input: { groupId: string; userId: string }) {
  assertCan(ctx.actor, "user.manage");
  return ctx.db.$transaction(async (tx) => {
    const m = await tx.groupMember.findUnique({ where: { groupId_userId: { groupId: input.groupId, userId: input.userId } } });
    if (!m) throw notFound("Group member");
    await tx.groupMember.delete({ where: { groupId_userId: { groupId: input.groupId, userId: input.userId } } });
    await recordAudit(tx, ctx, { action: "group.remove_member", targetType: "Group", targetId: input.groupId, before: { userId: input.userId, source: m.source } });
    return { groupId: input.groupId, userId: input.userId };
  });
}

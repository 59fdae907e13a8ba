// Deletes a user by anonymising them: the row stays as a tombstone so everything that
// points at it (audit events, requests, machines, operations) keeps pointing at a real id,
// and the append-only audit table never needs an UPDATE. The e-mail becomes
// deleted-<id>@deleted.invalid, the name "Deleted user", the password unusable; memberships,
// notifications, sessions and API tokens go. The audit trail keeps what it recorded then
// (an actor's e-mail in past events): it is the record of what happened.
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { conflict, notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";

export const TOMBSTONE_NAME = "Deleted user";
export const tombstoneEmail = (id: string) => `deleted-${id}@deleted.invalid`;

export async function deleteUser(ctx: Ctx, input: { id: string }): Promise<void> {
  assertCan(ctx.actor, "user.manage");
  if (input.id === ctx.actor.id) throw conflict("You cannot delete your own account", { reason: "SELF" });
  const now = ctx.now();
  await ctx.db.$transaction(async (tx) => {
    const user = await tx.user.findFirst({ where: { id: input.id, deletedAt: null }, select: { id: true, role: true, _count: { select: { memberships: true } } } });
    if (!user) throw notFound("User");
    if (user.role === "ADMIN") {
      const admins = await tx.user.count({ where: { role: "ADMIN", deletedAt: null, disabled: false } });
      if (admins <= 1) throw conflict("This is the last administrator", { reason: "LAST_ADMIN" });
    }
    await tx.projectMember.deleteMany({ where: { userId: user.id } });
    await tx.notification.deleteMany({ where: { userId: user.id } });
    await tx.session.deleteMany({ where: { userId: user.id } });
    await tx.apiToken.deleteMany({ where: { userId: user.id } });
    await tx.apiIdempotency.deleteMany({ where: { actorId: user.id } });
    await tx.user.update({
      where: { id: user.id },
      data: {
        email: tombstoneEmail(user.id),
        name: TOMBSTONE_NAME,
        // Not an argon2 hash: no password can ever match it.
        passwordHash: "!deleted",
        disabled: true,
        locale: null,
        lockedUntil: null,
        failedLogins: 0,
        deletedAt: now,
      },
    });
    await recordAudit(tx, ctx, { action: "user.delete", targetType: "User", targetId: user.id, before: { role: user.role, projects: user._count.memberships }, after: { deleted: true } });
  });
}

// Changes one's own password (the current one is checked) and ends every other session;
// the current one stays signed in.
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound, validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { revokeUserSessions } from "../auth/sessions";
import { hashPassword, verifyPassword } from "../auth/passwords";
import type { ChangePasswordInput } from "./schemas";

export async function changePassword(ctx: Ctx, input: ChangePasswordInput): Promise<{ sessionsEnded: number }> {
  assertCan(ctx.actor, "account.manage");
  const user = await ctx.db.user.findUnique({ where: { id: ctx.actor.id }, select: { id: true, passwordHash: true } });
  if (!user) throw notFound("User");
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) throw validationError({ currentPassword: ["users.validation.currentWrong"] });
  if (input.currentPassword === input.newPassword) throw validationError({ newPassword: ["users.validation.passwordSame"] });
  const passwordHash = await hashPassword(input.newPassword);
  return ctx.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    const sessionsEnded = await revokeUserSessions(tx, user.id, "PASSWORD_CHANGED", ctx.now(), ctx.sessionId ?? undefined);
    await recordAudit(tx, ctx, { action: "user.change_password", targetType: "User", targetId: user.id, after: { sessionsEnded } });
    return { sessionsEnded };
  });
}

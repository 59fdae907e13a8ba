// An administrator ends a user's browser sessions and/or revokes their API tokens at once
// (a stolen laptop, a leaked token, someone leaving).
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { revokeUserSessions } from "../auth/sessions";

export async function revokeUserAccess(ctx: Ctx, input: { id: string; sessions: boolean; tokens: boolean }): Promise<{ sessionsEnded: number; tokensRevoked: number }> {
  assertCan(ctx.actor, "user.manage");
  const now = ctx.now();
  return ctx.db.$transaction(async (tx) => {
    const user = await tx.user.findFirst({ where: { id: input.id, deletedAt: null }, select: { id: true } });
    if (!user) throw notFound("User");
    const sessionsEnded = input.sessions ? await revokeUserSessions(tx, user.id, "ADMIN", now, user.id === ctx.actor.id ? (ctx.sessionId ?? undefined) : undefined) : 0;
    const tokensRevoked = input.tokens ? (await tx.apiToken.updateMany({ where: { userId: user.id, revokedAt: null }, data: { revokedAt: now } })).count : 0;
    await recordAudit(tx, ctx, { action: "user.revoke_access", targetType: "User", targetId: user.id, after: { sessionsEnded, tokensRevoked } });
    return { sessionsEnded, tokensRevoked };
  });
}

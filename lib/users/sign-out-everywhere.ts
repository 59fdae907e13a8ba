// Ends every session of the actor, the current one included ("sign out everywhere").
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { recordAudit } from "../audit/record-audit";
import { revokeUserSessions } from "../auth/sessions";

/** Ends every session of the actor, the current one included. */
export async function signOutEverywhere(ctx: Ctx): Promise<{ sessionsEnded: number }> {
  assertCan(ctx.actor, "account.manage");
  return ctx.db.$transaction(async (tx) => {
    const sessionsEnded = await revokeUserSessions(tx, ctx.actor.id, "SIGN_OUT_EVERYWHERE", ctx.now());
    await recordAudit(tx, ctx, { action: "user.sign_out_everywhere", targetType: "User", targetId: ctx.actor.id, after: { sessionsEnded } });
    return { sessionsEnded };
  });
}


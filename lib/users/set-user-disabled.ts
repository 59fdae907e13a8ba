// Disables (or re-enables) a user. Disabling ends their sessions at once; their API tokens
// are refused while they are disabled (the API loads the user on every call). An
// administrator cannot disable themselves (they would lock themselves out).
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { conflict, notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { revokeUserSessions } from "../auth/sessions";
import type { UserRow } from "./views";
import { getUser } from "./get-user";

export async function setUserDisabled(ctx: Ctx, input: { id: string; disabled: boolean }): Promise<UserRow> {
  assertCan(ctx.actor, "user.manage");
  if (input.id === ctx.actor.id && input.disabled) throw conflict("You cannot disable your own account", { reason: "SELF" });
  const now = ctx.now();
  await ctx.db.$transaction(async (tx) => {
    const user = await tx.user.findFirst({ where: { id: input.id, deletedAt: null }, select: { id: true, disabled: true } });
    if (!user) throw notFound("User");
    if (user.disabled === input.disabled) return;
    await tx.user.update({ where: { id: user.id }, data: { disabled: input.disabled } });
    const ended = input.disabled ? await revokeUserSessions(tx, user.id, "DISABLED", now) : 0;
    await recordAudit(tx, ctx, {
      action: input.disabled ? "user.disable" : "user.enable",
      targetType: "User",
      targetId: user.id,
      before: { disabled: user.disabled },
      after: { disabled: input.disabled, ...(input.disabled ? { sessionsEnded: ended } : {}) },
    });
  });
  return getUser(ctx, { id: input.id });
}

import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { recordAudit } from "../audit/record-audit";
import { getNotificationPreferences, type NotificationPreferences } from "./get-notification-preferences";
import type { UpdateNotificationPreferencesInput } from "./preferences";

/** Sets where each kind of the actor's notifications goes, and whether e-mails come as a daily digest. */
export async function updateNotificationPreferences(ctx: Ctx, input: UpdateNotificationPreferencesInput): Promise<NotificationPreferences> {
  assertCan(ctx.actor, "account.manage");
  const userId = ctx.actor.id;
  await ctx.db.$transaction(async (tx) => {
    for (const [kind, channel] of Object.entries(input.channels)) {
      await tx.notificationPreference.upsert({ where: { userId_kind: { userId, kind } }, create: { userId, kind, channel }, update: { channel } });
    }
    await tx.user.update({ where: { id: userId }, data: { emailDigest: input.emailDigest } });
    await recordAudit(tx, ctx, { action: "user.notification_preferences", targetType: "User", targetId: userId, after: { channels: input.channels, emailDigest: input.emailDigest } });
  });
  return getNotificationPreferences(ctx);
}

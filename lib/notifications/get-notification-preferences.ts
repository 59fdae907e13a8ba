import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import { mailEnabled } from "../email/config";
import { DEFAULT_CHANNEL, NOTIFICATION_KINDS, type NotificationChannel, type NotificationKind } from "./kinds";

export interface NotificationPreferences {
  /** Whether this portal sends e-mail at all (SMTP configured). */
  emailAvailable: boolean;
  email: string;
  emailDigest: boolean;
  items: { kind: NotificationKind; channel: NotificationChannel }[];
}

/** The actor's channel for every kind of notification (the default where they chose none). */
export async function getNotificationPreferences(ctx: Ctx): Promise<NotificationPreferences> {
  assertCan(ctx.actor, "account.manage");
  const user = await ctx.db.user.findUnique({
    where: { id: ctx.actor.id },
    select: { email: true, emailDigest: true, notificationPreferences: { select: { kind: true, channel: true } } },
  });
  if (!user) throw notFound("User");
  const chosen = new Map(user.notificationPreferences.map((p) => [p.kind, p.channel]));
  return {
    emailAvailable: mailEnabled(),
    email: user.email,
    emailDigest: user.emailDigest,
    items: NOTIFICATION_KINDS.map((kind) => ({ kind, channel: chosen.get(kind) ?? DEFAULT_CHANNEL })),
  };
}

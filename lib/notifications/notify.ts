// Personal notifications. Written in the caller's transaction, so a notification exists
// exactly when the change it reports was committed. The recipient's choice for the kind
// (Settings -> Notifications: in the portal, by e-mail, both, none) decides where it goes:
// the bell gets a Notification row; the mailbox gets an outbox event (lib/events/emit.ts)
// that the worker renders and sends after the commit, or that waits for the daily digest.
import type { Prisma, Tx } from "../db/client";
import { emitNotificationEmail } from "../events/emit";
import { mailEnabled } from "../email/config";
import { DEFAULT_CHANNEL, wantsEmail, wantsInApp, type NotificationKind } from "./kinds";

export type { NotificationKind } from "./kinds";

export async function notify(
  tx: Tx,
  userId: string,
  kind: NotificationKind,
  params: Record<string, string | number | null> = {},
  link?: string,
): Promise<void> {
  const user = await tx.user.findUnique({
    where: { id: userId },
    select: { disabled: true, deletedAt: true, emailDigest: true, notificationPreferences: { where: { kind }, select: { channel: true } } },
  });
  if (!user || user.deletedAt) return;
  const channel = user.notificationPreferences[0]?.channel ?? DEFAULT_CHANNEL;
  if (wantsInApp(channel)) {
    await tx.notification.create({ data: { userId, kind, params: params as Prisma.InputJsonValue, link: link ?? null } });
  }
  if (wantsEmail(channel) && !user.disabled && mailEnabled()) {
    await emitNotificationEmail(tx, { recipientId: userId, kind, params, link: link ?? null, digest: user.emailDigest });
  }
}

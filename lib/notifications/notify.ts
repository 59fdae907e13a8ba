// Personal notifications. Written in the caller's transaction, so a notification exists
// exactly when the change it reports was committed. The recipient's choice for the kind
// (Settings -> Notifications: in the portal, by e-mail, both, none) decides where it goes:
// the bell gets a Notification row; the mailbox gets an outbox event (lib/events/emit.ts)
// that the worker renders and sends after the commit, or that waits for the daily digest.
import type { Tx } from "../db/client";
import type { NotificationChannel } from "../generated/prisma/enums";
import { emitNotificationEmail } from "../events/emit";
import { mailEnabled } from "../email/config";
import { DEFAULT_CHANNEL, NOTIFICATION_CHANNELS, wantsEmail, wantsInApp, type NotificationKind } from "./kinds";

const IN_APP_CHANNELS: string[] = NOTIFICATION_CHANNELS.filter(wantsInApp);

export type { NotificationKind } from "./kinds";

export async function notify(
  tx: Tx,
  userId: string,
  kind: NotificationKind,
  params: Record<string, string | number | null> = {},
  link?: string,
): Promise<void> {
  // One statement (issue 9: it was three per provisioned machine): the recipient and its
  // choice for the kind, and the bell's row inserted when that choice includes the portal.
  const now = new Date().toISOString();
  const rows = await tx.$queryRaw<{ disabled: boolean; emailDigest: boolean; channel: NotificationChannel }[]>`
    with u as (
      select u.id, u.disabled, u."emailDigest",
        coalesce((select p.channel::text from "NotificationPreference" p where p."userId" = u.id and p.kind = ${kind}), ${DEFAULT_CHANNEL}) as channel
      from "User" u where u.id = ${userId}::uuid and u."deletedAt" is null
    ), n as (
      insert into "Notification" (id, "userId", kind, params, link, "createdAt")
      select gen_random_uuid(), u.id, ${kind}, ${JSON.stringify(params)}::jsonb, ${link ?? null}, (${now}::timestamptz at time zone 'utc')
      from u where u.channel = any(${IN_APP_CHANNELS}::text[])
      returning id
    )
    select disabled, "emailDigest", channel from u`;
  const user = rows[0];
  if (!user) return;
  const channel = user.channel;
  if (wantsEmail(channel) && !user.disabled && mailEnabled()) {
    await emitNotificationEmail(tx, { recipientId: userId, kind, params, link: link ?? null, digest: user.emailDigest });
  }
}

// The daily digest (`orq-email-digest`, once a day at ORQ_EMAIL_DIGEST_HOUR): for each user
// who chose a digest, the personal notifications held for it since the last one become one
// e-mail. Each user's digest is its own transaction (rows locked, so two workers never send
// the same items twice).
import type { Db } from "../db/client";
import { NOTIFICATION_EMAIL_EVENT } from "../events/types";
import { mailEnabled, publicUrl } from "./config";
import { queueEmail } from "./queue-email";
import { renderDigestEmail } from "./render";

export const EMAIL_DIGEST_TASK = "orq-email-digest";
/** At most this many items in one digest (the oldest are listed; the rest go in the next one). */
const MAX_ITEMS = 100;

export async function sendDigests(db: Db, now: Date = new Date()): Promise<{ digests: number; items: number }> {
  const recipients = await db.event.findMany({
    where: { type: NOTIFICATION_EMAIL_EVENT, digest: true, dispatchedAt: null, recipientId: { not: null } },
    distinct: ["recipientId"],
    select: { recipientId: true },
  });
  let digests = 0;
  let items = 0;
  for (const { recipientId } of recipients) {
    const n = await db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string; payload: { kind?: string; params?: Record<string, unknown>; link?: string | null }; createdAt: Date }[]>`
        select id, payload, "createdAt" from "Event"
         where type = ${NOTIFICATION_EMAIL_EVENT} and digest and "dispatchedAt" is null and "recipientId" = ${recipientId}::uuid
         order by "createdAt", id
         limit ${MAX_ITEMS}
         for update skip locked`;
      if (!rows.length) return 0;
      const user = await tx.user.findUnique({ where: { id: recipientId! }, select: { id: true, email: true, name: true, locale: true, disabled: true, deletedAt: true } });
      if (user && !user.disabled && !user.deletedAt && mailEnabled()) {
        const rendered = renderDigestEmail({
          locale: user.locale,
          name: user.name,
          baseUrl: publicUrl(),
          items: rows.map((r) => ({ kind: String(r.payload?.kind ?? "other"), params: r.payload?.params ?? {}, link: r.payload?.link ?? null, at: r.createdAt })),
        });
        await queueEmail(tx, { ...rendered, to: user.email, locale: user.locale ?? "en", kind: "digest", userId: user.id });
      }
      await tx.event.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { dispatchedAt: now } });
      return rows.length;
    });
    if (n) {
      digests++;
      items += n;
    }
  }
  return { digests, items };
}

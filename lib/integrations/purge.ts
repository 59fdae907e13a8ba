// Retention of the outbox and its logs: events (with their webhook deliveries), sent or
// failed e-mails and spent invitations older than ORQ_EVENT_RETENTION_DAYS are deleted.
// Undispatched events and e-mails still waiting are kept whatever their age.
import type { Db } from "../db/client";
import { env } from "../env";

export const PURGE_INTEGRATIONS_TASK = "orq-integrations-purge";

export async function purgeIntegrations(db: Db, now: Date, days = env().ORQ_EVENT_RETENTION_DAYS) {
  const before = new Date(now.getTime() - days * 86_400_000);
  const [events, emails, invitations] = await Promise.all([
    db.event.deleteMany({ where: { createdAt: { lt: before }, dispatchedAt: { not: null }, deliveries: { none: { status: "PENDING" } } } }),
    db.emailMessage.deleteMany({ where: { createdAt: { lt: before }, status: { not: "PENDING" } } }),
    db.invitation.deleteMany({ where: { OR: [{ acceptedAt: { lt: before } }, { expiresAt: { lt: before } }] } }),
  ]);
  return { events: events.count, emails: emails.count, invitations: invitations.count };
}

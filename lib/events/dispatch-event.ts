// The worker's side of the outbox (`orq-event-dispatch` job): one event becomes one webhook
// delivery per enabled subscription of its project and type (each sent by its own job, with
// its own retries), or, for a personal notification, one e-mail rendered in the recipient's
// language. The event row is locked and marked dispatched in the same transaction, so a job
// that runs twice creates nothing twice.
import type { Db, Tx } from "../db/client";
import { enqueueDelivery } from "../webhooks/deliver-webhook";
import { queueEmail } from "../email/queue-email";
import { renderNotificationEmail } from "../email/render";
import { mailEnabled, publicUrl } from "../email/config";
import { NOTIFICATION_EMAIL_EVENT } from "./types";

export interface DispatchResult {
  deliveries: number;
  emails: number;
}

interface EventRow {
  id: string;
  type: string;
  projectId: string | null;
  recipientId: string | null;
  payload: unknown;
  dispatchedAt: Date | null;
}

async function personalEmail(tx: Tx, e: EventRow): Promise<number> {
  if (!e.recipientId || !mailEnabled()) return 0;
  const user = await tx.user.findUnique({ where: { id: e.recipientId }, select: { id: true, email: true, name: true, locale: true, disabled: true, deletedAt: true } });
  if (!user || user.disabled || user.deletedAt) return 0;
  const p = (e.payload ?? {}) as { kind?: string; params?: Record<string, unknown>; link?: string | null };
  const kind = String(p.kind ?? "other");
  const rendered = renderNotificationEmail({ locale: user.locale, name: user.name, kind, params: p.params ?? {}, link: p.link ?? null, baseUrl: publicUrl() });
  await queueEmail(tx, { ...rendered, to: user.email, locale: user.locale ?? "en", kind, userId: user.id });
  return 1;
}

async function webhookDeliveries(tx: Tx, e: EventRow): Promise<number> {
  if (!e.projectId) return 0;
  const subs = await tx.webhookSubscription.findMany({ where: { projectId: e.projectId, enabled: true, events: { has: e.type } }, select: { id: true } });
  if (!subs.length) return 0;
  const rows = await tx.webhookDelivery.createManyAndReturn({ data: subs.map((s) => ({ subscriptionId: s.id, eventId: e.id })), select: { id: true } });
  for (const r of rows) await enqueueDelivery(tx, r.id);
  return rows.length;
}

export async function dispatchEvent(db: Db, eventId: string, now: Date = new Date()): Promise<DispatchResult> {
  return db.$transaction(async (tx) => {
    const [e] = await tx.$queryRaw<EventRow[]>`
      select id, type, "projectId", "recipientId", payload, "dispatchedAt" from "Event" where id = ${eventId}::uuid for update`;
    if (!e || e.dispatchedAt) return { deliveries: 0, emails: 0 };
    const out: DispatchResult =
      e.type === NOTIFICATION_EMAIL_EVENT ? { deliveries: 0, emails: await personalEmail(tx, e) } : { deliveries: await webhookDeliveries(tx, e), emails: 0 };
    await tx.event.update({ where: { id: e.id }, data: { dispatchedAt: now } });
    return out;
  });
}

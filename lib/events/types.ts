// The events other systems can subscribe to (webhooks), and the internal kind the outbox uses
// for personal e-mail notifications. Pure: safe in client bundles (forms list the types).
export const WEBHOOK_EVENT_TYPES = [
  "request.created",
  "request.decided",
  "machine.state_changed",
  "operation.failed",
  "lease.expiring",
  "alert.fired",
  "stack.drifted",
  "alert.resolved",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const isWebhookEventType = (v: unknown): v is WebhookEventType => typeof v === "string" && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(v);

/** An outbox row that becomes one e-mail to its recipient (a personal notification). */
export const NOTIFICATION_EMAIL_EVENT = "notification.email";

/** The worker task that turns one outbox row into deliveries (lib/events/dispatch-event.ts). */
export const DISPATCH_EVENT_TASK = "orq-event-dispatch";

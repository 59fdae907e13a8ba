// The worker's tasks for e-mail, webhooks and the outbox, and their schedule. The worker
// (lib/orchestration/worker.ts) merges these into its task list and crontab.
import type { Task } from "graphile-worker";
import type { Logger } from "pino";
import type { Db } from "../db/client";
import { env } from "../env";
import { DISPATCH_EVENT_TASK } from "../events/types";
import { dispatchEvent } from "../events/dispatch-event";
import { deliverWebhook, WEBHOOK_DELIVER_TASK } from "../webhooks/deliver-webhook";
import { SEND_EMAIL_TASK } from "../email/queue-email";
import { sendQueuedEmail } from "../email/send-email";
import { EMAIL_DIGEST_TASK, sendDigests } from "../email/digest";
import { purgeIntegrations, PURGE_INTEGRATIONS_TASK } from "./purge";

export function integrationTasks(db: Db, deps: { now: () => Date; log: Logger }): Record<string, Task> {
  const log = deps.log.child({ component: "integrations" });
  const id = (payload: unknown, key: string) => {
    const v = (payload as Record<string, unknown> | null)?.[key];
    return typeof v === "string" ? v : null;
  };
  return {
    [DISPATCH_EVENT_TASK]: async (payload) => {
      const eventId = id(payload, "eventId");
      if (eventId) await dispatchEvent(db, eventId, deps.now());
    },
    [WEBHOOK_DELIVER_TASK]: async (payload) => {
      const deliveryId = id(payload, "deliveryId");
      if (!deliveryId) return;
      const outcome = await deliverWebhook(db, deliveryId, { now: deps.now });
      if (outcome === "failed") log.warn({ deliveryId }, "webhook delivery failed for good");
    },
    [SEND_EMAIL_TASK]: async (payload) => {
      const messageId = id(payload, "messageId");
      if (!messageId) return;
      const outcome = await sendQueuedEmail(db, messageId, { now: deps.now });
      if (outcome === "failed") log.warn({ messageId }, "e-mail could not be sent");
    },
    // Payload `now` (ISO) lets tests and operators run it as of another moment.
    [EMAIL_DIGEST_TASK]: async (payload) => {
      const at = id(payload, "now");
      const r = await sendDigests(db, at ? new Date(at) : deps.now());
      if (r.digests) log.info(r, "daily digests queued");
    },
    [PURGE_INTEGRATIONS_TASK]: async () => {
      const r = await purgeIntegrations(db, deps.now());
      log.info(r, "old events, deliveries and e-mails purged");
    },
  };
}

/** Daily: the digest at ORQ_EMAIL_DIGEST_HOUR, the purge at 04:30. */
export function integrationCrontab(): string {
  return `0 ${env().ORQ_EMAIL_DIGEST_HOUR} * * * ${EMAIL_DIGEST_TASK} ?max=1&jobKey=${EMAIL_DIGEST_TASK}\n30 4 * * * ${PURGE_INTEGRATIONS_TASK} ?max=1&jobKey=${PURGE_INTEGRATIONS_TASK}\n`;
}

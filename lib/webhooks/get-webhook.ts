import "server-only";
import type { Ctx } from "../context";
import { notFound } from "../errors";
import { PAGE_SIZE, pageCount, pageWindow } from "../pagination";
import { loadManagedWebhook } from "./load-webhook";
import { toWebhookView, webhookSelect, type DeliveryView, type WebhookView } from "./views";

/** A subscription with its delivery log (newest first, 20 a page). */
export async function getWebhook(ctx: Ctx, input: { id: string; page: number }): Promise<{ webhook: WebhookView; deliveries: DeliveryView[]; page: number; pageCount: number; total: number }> {
  await loadManagedWebhook(ctx, input.id);
  const [row, total, deliveries] = await Promise.all([
    ctx.db.webhookSubscription.findUnique({ where: { id: input.id }, select: webhookSelect }),
    ctx.db.webhookDelivery.count({ where: { subscriptionId: input.id } }),
    ctx.db.webhookDelivery.findMany({
      where: { subscriptionId: input.id },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      ...pageWindow(input.page),
      include: { event: { select: { type: true } } },
    }),
  ]);
  if (!row) throw notFound("Webhook");
  return {
    webhook: toWebhookView(row),
    deliveries: deliveries.map((d) => ({
      id: d.id,
      eventId: d.eventId,
      eventType: d.event.type,
      status: d.status,
      attempts: d.attempts,
      responseStatus: d.responseStatus,
      responseBody: d.responseBody,
      error: d.error,
      durationMs: d.durationMs,
      createdAt: d.createdAt,
      lastAttemptAt: d.lastAttemptAt,
      nextAttemptAt: d.nextAttemptAt,
      finishedAt: d.finishedAt,
      redeliveryOfId: d.redeliveryOfId,
    })),
    page: input.page,
    pageCount: pageCount(total, PAGE_SIZE),
    total,
  };
}

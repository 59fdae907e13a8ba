// Sends an event to a subscription again (the delivery log's "Redeliver" button): a new
// delivery of the same event, with its own attempts; receivers see the same event id.
import "server-only";
import type { Ctx } from "../context";
import { can } from "../auth/permissions";
import { conflict, notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { enqueueDelivery } from "./deliver-webhook";

export async function redeliverWebhook(ctx: Ctx, input: { deliveryId: string }): Promise<{ id: string; redeliveryOfId: string; status: "PENDING" }> {
  const d = await ctx.db.webhookDelivery.findUnique({ where: { id: input.deliveryId }, include: { subscription: { select: { id: true, projectId: true, enabled: true } } } });
  if (!d || !can(ctx.actor, "webhook.manage", d.subscription.projectId)) throw notFound("Delivery");
  if (!d.subscription.enabled) throw conflict("The webhook is disabled: enable it first", { reason: "DISABLED" });
  return ctx.db.$transaction(async (tx) => {
    const row = await tx.webhookDelivery.create({
      data: { subscriptionId: d.subscriptionId, eventId: d.eventId, redeliveryOfId: d.id, requestedById: ctx.actor.id },
      select: { id: true },
    });
    await enqueueDelivery(tx, row.id);
    await recordAudit(tx, ctx, {
      action: "webhook.redeliver",
      targetType: "WebhookSubscription",
      targetId: d.subscriptionId,
      projectId: d.subscription.projectId,
      after: { deliveryId: row.id, redeliveryOf: d.id, eventId: d.eventId },
    });
    return { id: row.id, redeliveryOfId: d.id, status: "PENDING" as const };
  });
}

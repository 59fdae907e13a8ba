import "server-only";
import type { Ctx } from "../context";
import { recordAudit } from "../audit/record-audit";
import { loadManagedWebhook } from "./load-webhook";

/** Removes a subscription and its delivery log; deliveries still queued are dropped. */
export async function deleteWebhook(ctx: Ctx, input: { id: string }): Promise<void> {
  const w = await loadManagedWebhook(ctx, input.id);
  await ctx.db.$transaction(async (tx) => {
    await tx.webhookSubscription.delete({ where: { id: w.id } });
    await recordAudit(tx, ctx, { action: "webhook.delete", targetType: "WebhookSubscription", targetId: w.id, projectId: w.projectId, before: { url: w.url, events: w.events } });
  });
}

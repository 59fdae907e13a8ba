import "server-only";
import type { Ctx } from "../context";
import { recordAudit } from "../audit/record-audit";
import { assertAcceptableUrl } from "./check-url";
import { loadManagedWebhook } from "./load-webhook";
import type { UpdateWebhookInput } from "./schemas";
import { toWebhookView, webhookSelect, type WebhookView } from "./views";

/** Changes a subscription's URL (checked again), events, description or enabled flag. */
export async function updateWebhook(ctx: Ctx, input: UpdateWebhookInput): Promise<WebhookView> {
  const before = await loadManagedWebhook(ctx, input.id);
  if (input.url !== before.url) await assertAcceptableUrl(ctx.db, input.url);
  const row = await ctx.db.$transaction(async (tx) => {
    const updated = await tx.webhookSubscription.update({
      where: { id: before.id },
      data: { url: input.url, events: input.events, description: input.description, enabled: input.enabled },
      select: webhookSelect,
    });
    await recordAudit(tx, ctx, {
      action: "webhook.update",
      targetType: "WebhookSubscription",
      targetId: before.id,
      projectId: before.projectId,
      before: { url: before.url, events: before.events, description: before.description, enabled: before.enabled },
      after: { url: input.url, events: input.events, description: input.description, enabled: input.enabled },
    });
    return updated;
  });
  return toWebhookView(row);
}

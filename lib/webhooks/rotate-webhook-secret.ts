import "server-only";
import type { Ctx } from "../context";
import { recordAudit } from "../audit/record-audit";
import { seal } from "../crypto/seal";
import { loadManagedWebhook } from "./load-webhook";
import { newWebhookSecret } from "./signature";

/** A new signing secret (returned once); deliveries from now on are signed with it. */
export async function rotateWebhookSecret(ctx: Ctx, input: { id: string }): Promise<{ id: string; secret: string }> {
  const w = await loadManagedWebhook(ctx, input.id);
  const secret = newWebhookSecret();
  await ctx.db.$transaction(async (tx) => {
    await tx.webhookSubscription.update({ where: { id: w.id }, data: { secretEnc: seal(secret, { associatedData: w.id }) } });
    await recordAudit(tx, ctx, { action: "webhook.rotate_secret", targetType: "WebhookSubscription", targetId: w.id, projectId: w.projectId });
  });
  return { id: w.id, secret };
}

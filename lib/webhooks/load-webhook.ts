import "server-only";
import type { Ctx } from "../context";
import type { Tx } from "../db/client";
import { can } from "../auth/permissions";
import { notFound } from "../errors";

/** A subscription the actor may manage; others (and unknown ids) are NOT_FOUND. */
export async function loadManagedWebhook(ctx: Ctx, id: string, tx?: Tx) {
  const row = await (tx ?? ctx.db).webhookSubscription.findUnique({ where: { id } });
  if (!row || !can(ctx.actor, "webhook.manage", row.projectId)) throw notFound("Webhook");
  return row;
}

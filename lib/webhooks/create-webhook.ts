// Subscribes a project to events. The signing secret is generated here, sealed at rest
// (AES-256-GCM, bound to the subscription id) and returned in this answer only.
import "server-only";
import { randomUUID } from "node:crypto";
import type { Ctx } from "../context";
import { assertCan, can } from "../auth/permissions";
import { conflict, notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { seal } from "../crypto/seal";
import { assertAcceptableUrl } from "./check-url";
import { newWebhookSecret } from "./signature";
import type { CreateWebhookInput } from "./schemas";
import { toWebhookView, webhookSelect, type WebhookView } from "./views";

/** Subscriptions one project may have. */
export const MAX_WEBHOOKS_PER_PROJECT = 25;

export async function createWebhook(ctx: Ctx, input: CreateWebhookInput): Promise<{ webhook: WebhookView; secret: string }> {
  const project = await ctx.db.project.findUnique({ where: { id: input.projectId }, select: { id: true, archived: true } });
  // Projects the actor cannot see are not found; a member who is not an approver is forbidden.
  if (!project || !can(ctx.actor, "project.read", project.id)) throw notFound("Project");
  assertCan(ctx.actor, "webhook.manage", project.id);
  if (project.archived) throw conflict("The project is archived", { reason: "ARCHIVED" });
  await assertAcceptableUrl(ctx.db, input.url);
  const id = randomUUID();
  const secret = newWebhookSecret();
  const row = await ctx.db.$transaction(async (tx) => {
    const n = await tx.webhookSubscription.count({ where: { projectId: project.id } });
    if (n >= MAX_WEBHOOKS_PER_PROJECT) throw conflict(`A project can have at most ${MAX_WEBHOOKS_PER_PROJECT} webhooks`, { reason: "TOO_MANY" });
    const created = await tx.webhookSubscription.create({
      data: {
        id,
        projectId: project.id,
        url: input.url,
        events: input.events,
        description: input.description,
        enabled: input.enabled,
        secretEnc: seal(secret, { associatedData: id }),
        createdById: ctx.actor.id,
      },
      select: webhookSelect,
    });
    await recordAudit(tx, ctx, {
      action: "webhook.create",
      targetType: "WebhookSubscription",
      targetId: id,
      projectId: project.id,
      after: { url: input.url, events: input.events, enabled: input.enabled },
    });
    return created;
  });
  return { webhook: toWebhookView(row), secret };
}

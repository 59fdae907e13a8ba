import "server-only";
import type { Ctx } from "../context";
import { projectsWhere } from "../auth/permissions";
import { toWebhookView, webhookSelect, type WebhookView } from "./views";

/** The subscriptions of the projects the actor manages webhooks for (every project for administrators). */
export async function listWebhooks(ctx: Ctx, input: { projectId?: string }): Promise<{ items: WebhookView[]; projects: { id: string; name: string }[] }> {
  const allowed = projectsWhere(ctx.actor, "webhook.manage");
  const scope = allowed === null ? {} : { id: { in: allowed } };
  const projects = await ctx.db.project.findMany({ where: { ...scope, archived: false }, orderBy: { name: "asc" }, select: { id: true, name: true } });
  if (input.projectId && allowed !== null && !allowed.includes(input.projectId)) return { items: [], projects };
  const rows = await ctx.db.webhookSubscription.findMany({
    where: { ...(allowed === null ? {} : { projectId: { in: allowed } }), ...(input.projectId ? { projectId: input.projectId } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: 200,
    select: webhookSelect,
  });
  return { items: rows.map(toWebhookView), projects };
}

import "server-only";
import type { Ctx } from "../context";

/** Marks every unread notification of the actor read (and nobody else's). */
export async function markAllNotificationsRead(ctx: Ctx, _input: Record<string, never> | object = {}) {
  const r = await ctx.db.notification.updateMany({ where: { userId: ctx.actor.id, readAt: null }, data: { readAt: ctx.now() } });
  return { marked: r.count };
}

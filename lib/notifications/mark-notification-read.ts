import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { notFound } from "../errors";
import type { markNotificationReadSchema } from "./schemas";

/** Marks one of the actor's notifications read; another user's answers NOT_FOUND. */
export async function markNotificationRead(ctx: Ctx, input: z.infer<typeof markNotificationReadSchema>) {
  const own = await ctx.db.notification.findFirst({ where: { id: input.notificationId, userId: ctx.actor.id }, select: { readAt: true } });
  if (!own) throw notFound("Notification");
  if (!own.readAt) {
    await ctx.db.notification.updateMany({ where: { id: input.notificationId, userId: ctx.actor.id, readAt: null }, data: { readAt: ctx.now() } });
  }
  return { ok: true as const };
}

import "server-only";
import type { Ctx } from "../context";
import type { ListNotificationsInput } from "./schemas";
import type { NotificationList } from "./views";

/** The actor's own most recent notifications and how many are unread. Nobody sees another's. */
export async function listNotifications(ctx: Ctx, input: ListNotificationsInput): Promise<NotificationList> {
  const userId = ctx.actor.id;
  const [rows, unread] = await Promise.all([
    ctx.db.notification.findMany({
      where: { userId, ...(input.unreadOnly ? { readAt: null } : {}) },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: input.limit ?? 15,
    }),
    ctx.db.notification.count({ where: { userId, readAt: null } }),
  ]);
  return {
    unread,
    items: rows.map((n) => ({
      id: n.id,
      kind: n.kind,
      params: n.params && typeof n.params === "object" && !Array.isArray(n.params) ? (n.params as Record<string, string | number | null>) : {},
      link: n.link,
      read: n.readAt !== null,
      createdAt: n.createdAt.toISOString(),
    })),
  };
}

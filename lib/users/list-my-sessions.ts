// One's own live browser sessions, the current one marked.
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";

export interface SessionRow {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  userAgent: string;
  ipAddress: string | null;
  current: boolean;
}

export async function listMySessions(ctx: Ctx): Promise<{ items: SessionRow[] }> {
  assertCan(ctx.actor, "account.manage");
  const now = ctx.now();
  const rows = await ctx.db.session.findMany({
    where: { userId: ctx.actor.id, revokedAt: null, expiresAt: { gt: now } },
    orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }],
    select: { id: true, createdAt: true, lastSeenAt: true, expiresAt: true, userAgent: true, ipAddress: true },
  });
  return { items: rows.map((r) => ({ ...r, current: r.id === ctx.sessionId })) };
}


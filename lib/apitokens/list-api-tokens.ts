// The signed-in user's own API tokens, newest first (revoked ones too, marked, so the
// history of what was issued stays visible). Never the secret or its hash.
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";

export type ApiTokenStatus = "ACTIVE" | "EXPIRED" | "REVOKED";

export interface ApiTokenRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  status: ApiTokenStatus;
}

export async function listApiTokens(ctx: Ctx): Promise<ApiTokenRow[]> {
  assertCan(ctx.actor, "apitoken.manage");
  const now = ctx.now();
  const rows = await ctx.db.apiToken.findMany({
    where: { userId: ctx.actor.id },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, expiresAt: true, revokedAt: true },
  });
  return rows.map((t) => ({
    ...t,
    status: t.revokedAt ? "REVOKED" : t.expiresAt && t.expiresAt <= now ? "EXPIRED" : "ACTIVE",
  }));
}

// Resolves `Authorization: Bearer <token>` to the user it belongs to: by sha256 of the
// secret (no secret is stored, and the lookup by hash makes comparison timing irrelevant).
// Revoked and expired tokens are refused. lastUsedAt is written at most once a minute per
// token (a conditional UPDATE), so a busy script does not turn every read into a write.
import "server-only";
import type { Db } from "../db/client";
import { hashTokenSecret, looksLikeToken } from "./token-secret";

const LAST_USED_RESOLUTION_MS = 60_000;

export async function authenticateApiToken(db: Db, secret: string, now: Date): Promise<{ userId: string; tokenId: string } | null> {
  if (!looksLikeToken(secret)) return null;
  const token = await db.apiToken.findUnique({
    where: { tokenHash: hashTokenSecret(secret) },
    select: { id: true, userId: true, revokedAt: true, expiresAt: true, lastUsedAt: true },
  });
  if (!token || token.revokedAt || (token.expiresAt && token.expiresAt <= now)) return null;
  const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  if (!token.lastUsedAt || token.lastUsedAt < stale) {
    await db.apiToken.updateMany({
      where: { id: token.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: stale } }] },
      data: { lastUsedAt: now },
    });
  }
  return { userId: token.userId, tokenId: token.id };
}

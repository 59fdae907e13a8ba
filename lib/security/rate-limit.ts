// Fixed-window rate limits kept in PostgreSQL, so every web server of an installation
// counts against the same numbers. One atomic upsert per hit: the window starts with the
// first hit and lasts `windowMs`; hits beyond `limit` within it are refused, and the caller
// learns when the window ends (Retry-After). A hit can be given back (`refund`) when the
// attempt turned out fine (a correct password), so only failures use up a sign-in budget
// while parallel attempts can never check more than `limit` passwords.
import { createHash } from "node:crypto";
import type { Db, Tx } from "../db/client";

export interface LimitSpec {
  key: string;
  limit: number;
  windowMs: number;
}

export interface LimitResult {
  allowed: boolean;
  /** Hits in the current window, this one included. */
  count: number;
  limit: number;
  remaining: number;
  resetAt: Date;
  /** Whole seconds until the window ends (at least 1). */
  retryAfterSeconds: number;
}

type Client = Db | Tx;

/** Keys hold no personal data in clear (e-mail addresses are hashed). */
export const hashedKey = (prefix: string, value: string) => `${prefix}:${createHash("sha256").update(value).digest("hex").slice(0, 32)}`;

export function limitResult(count: number, expiresAt: Date, spec: Pick<LimitSpec, "limit">, now: Date): LimitResult {
  return {
    allowed: count <= spec.limit,
    count,
    limit: spec.limit,
    remaining: Math.max(0, spec.limit - count),
    resetAt: expiresAt,
    retryAfterSeconds: Math.max(1, Math.ceil((expiresAt.getTime() - now.getTime()) / 1000)),
  };
}

/** Counts one hit and says whether it is within the limit. */
export async function hitLimit(db: Client, spec: LimitSpec, now: Date): Promise<LimitResult> {
  const end = new Date(now.getTime() + spec.windowMs);
  const rows = await db.$queryRaw<{ count: number; expiresAt: Date }[]>`
    INSERT INTO "RateLimitBucket" ("key", "windowStart", "count", "expiresAt")
    VALUES (${spec.key}, ${now}, 1, ${end})
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimitBucket"."expiresAt" <= ${now} THEN 1 ELSE "RateLimitBucket"."count" + 1 END,
      "windowStart" = CASE WHEN "RateLimitBucket"."expiresAt" <= ${now} THEN ${now} ELSE "RateLimitBucket"."windowStart" END,
      "expiresAt" = CASE WHEN "RateLimitBucket"."expiresAt" <= ${now} THEN ${end} ELSE "RateLimitBucket"."expiresAt" END
    RETURNING "count", "expiresAt"`;
  if (Math.random() < 0.01) void purgeExpired(db, now).catch(() => {});
  return limitResult(Number(rows[0].count), new Date(rows[0].expiresAt), spec, now);
}

/** The current state without counting a hit (null: no hit in a live window). */
export async function peekLimit(db: Client, spec: LimitSpec, now: Date): Promise<LimitResult | null> {
  const row = await db.rateLimitBucket.findUnique({ where: { key: spec.key } });
  if (!row || row.expiresAt <= now) return null;
  return limitResult(row.count, row.expiresAt, spec, now);
}

/** Gives one hit back (the attempt it counted succeeded). */
export async function refundLimit(db: Client, key: string, now: Date): Promise<void> {
  await db.rateLimitBucket.updateMany({ where: { key, expiresAt: { gt: now }, count: { gt: 0 } }, data: { count: { decrement: 1 } } });
}

/** Forgets a key's window entirely. */
export async function resetLimit(db: Client, key: string): Promise<void> {
  await db.rateLimitBucket.deleteMany({ where: { key } });
}

export async function purgeExpired(db: Client, now: Date): Promise<number> {
  const r = await db.rateLimitBucket.deleteMany({ where: { expiresAt: { lt: now } } });
  return r.count;
}

// Checks an e-mail and password for sign-in, with limits kept in PostgreSQL (lib/security/
// rate-limit.ts) so several web servers share them:
// - per account (the e-mail, known or not): ORQ_LOGIN_MAX_FAILURES attempts per
//   ORQ_LOGIN_LOCK_MINUTES; the failure that reaches the limit locks the account until the
//   window ends, which also ends its sessions and stops its API tokens;
// - per client address: ORQ_LOGIN_IP_MAX_FAILURES attempts per the same window, across
//   accounts (password spraying).
// An attempt is counted BEFORE its password is checked and given back when it succeeds, so
// parallel guesses can never check more passwords than the limit. Every outcome does the
// same work (one argon2 verification, against a dummy hash when there is no account to
// check) and the caller shows one message for all failures, so neither timing nor text
// tells whether an e-mail exists or is locked. Every failure is audited.
import { z } from "zod";
import { randomUUID } from "node:crypto";
import type { Db } from "../db/client";
import { env } from "../env";
import { dummyHash, verifyPassword } from "./passwords";
import { hashedKey, hitLimit, refundLimit, resetLimit } from "../security/rate-limit";
import { revokeUserSessions } from "./sessions";

export const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(200),
});

export type FailureReason = "INVALID" | "LOCKED" | "RATE_LIMITED";

export type CredentialsResult =
  | { ok: true; user: { id: string; email: string; name: string } }
  | { ok: false; reason: FailureReason; retryAfterSeconds?: number };

export interface SignInClient {
  ip?: string;
  userAgent?: string;
}

export const accountKey = (email: string) => hashedKey("signin:account", email);
export const addressKey = (ip: string) => `signin:ip:${ip}`;

async function auditFailure(db: Db, args: { email: string | null; userId: string | null; reason: FailureReason; ip: string; now: Date }) {
  await db.auditEvent.create({
    data: {
      at: args.now,
      actorId: null,
      actorEmail: args.email,
      action: "auth.signin_failed",
      targetType: "User",
      targetId: args.userId,
      after: { reason: args.reason, ip: args.ip },
      correlationId: randomUUID(),
    },
  });
}

export async function verifyCredentials(
  db: Db,
  raw: unknown,
  now = new Date(),
  client: SignInClient = {},
  /** Tests count the real password checks through this. */
  deps: { verify?: typeof verifyPassword } = {},
): Promise<CredentialsResult> {
  const check = deps.verify ?? verifyPassword;
  const ip = client.ip ?? "unknown";
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) {
    await verifyPassword(await dummyHash(), "x");
    return { ok: false, reason: "INVALID" };
  }
  const { email, password } = parsed.data;
  const { ORQ_LOGIN_MAX_FAILURES: max, ORQ_LOGIN_LOCK_MINUTES: minutes, ORQ_LOGIN_IP_MAX_FAILURES: ipMax } = env();
  const windowMs = minutes * 60_000;
  const acct = { key: accountKey(email), limit: max, windowMs };
  const addr = { key: addressKey(ip), limit: ipMax, windowMs };

  const [a, b] = await Promise.all([hitLimit(db, acct, now), hitLimit(db, addr, now)]);
  const user = await db.user.findUnique({ where: { email } });
  const usable = user && !user.disabled && !user.deletedAt;

  const fail = async (reason: FailureReason, retryAfterSeconds?: number): Promise<CredentialsResult> => {
    await auditFailure(db, { email, userId: usable ? user.id : null, reason, ip, now });
    return { ok: false, reason, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) };
  };

  if (!a.allowed || !b.allowed) {
    await verifyPassword(await dummyHash(), password);
    return fail(a.allowed ? "RATE_LIMITED" : "LOCKED", Math.max(a.allowed ? 0 : a.retryAfterSeconds, b.allowed ? 0 : b.retryAfterSeconds));
  }
  if (!usable) {
    await verifyPassword(await dummyHash(), password);
    return fail("INVALID");
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    await verifyPassword(await dummyHash(), password);
    return fail("LOCKED", Math.ceil((user.lockedUntil.getTime() - now.getTime()) / 1000));
  }
  const good = await check(user.passwordHash, password);
  if (!good) {
    await db.user.update({ where: { id: user.id }, data: { failedLogins: a.count } });
    if (a.count >= max) {
      // This failure used up the account's budget: lock it until the window ends.
      await db.$transaction(async (tx) => {
        await tx.user.update({ where: { id: user.id }, data: { lockedUntil: a.resetAt } });
        await revokeUserSessions(tx, user.id, "LOCKED", now);
        await tx.auditEvent.create({
          data: {
            at: now,
            actorId: null,
            actorEmail: "system",
            action: "user.lock",
            targetType: "User",
            targetId: user.id,
            after: { lockedUntil: a.resetAt.toISOString(), failures: a.count, ip },
            correlationId: randomUUID(),
          },
        });
      });
      return fail("LOCKED", a.retryAfterSeconds);
    }
    return fail("INVALID");
  }
  await Promise.all([resetLimit(db, acct.key), refundLimit(db, addr.key, now)]);
  await db.user.update({ where: { id: user.id }, data: { failedLogins: 0, lockedUntil: null, lastLoginAt: now } });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}

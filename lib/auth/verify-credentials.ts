// Checks an e-mail and password, counting failures: after ORQ_LOGIN_MAX_FAILURES wrong
// passwords the account is locked for ORQ_LOGIN_LOCK_MINUTES (no password is tried then).
import { z } from "zod";
import type { Db } from "../db/client";
import { env } from "../env";
import { dummyHash, verifyPassword } from "./passwords";

export const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(200),
});

export type CredentialsResult =
  | { ok: true; user: { id: string; email: string; name: string } }
  | { ok: false; reason: "INVALID" | "LOCKED" };

export async function verifyCredentials(db: Db, raw: unknown, now = new Date()): Promise<CredentialsResult> {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: "INVALID" };
  const { email, password } = parsed.data;
  const user = await db.user.findUnique({ where: { email } });
  if (!user || user.disabled) {
    await verifyPassword(await dummyHash(), password);
    return { ok: false, reason: "INVALID" };
  }
  if (user.lockedUntil && user.lockedUntil > now) return { ok: false, reason: "LOCKED" };
  const good = await verifyPassword(user.passwordHash, password);
  if (!good) {
    const { ORQ_LOGIN_MAX_FAILURES: max, ORQ_LOGIN_LOCK_MINUTES: minutes } = env();
    // Atomic increment; the lock is set by whichever failure reaches the limit.
    const updated = await db.user.update({
      where: { id: user.id },
      data: { failedLogins: { increment: 1 } },
      select: { failedLogins: true },
    });
    if (updated.failedLogins >= max) {
      await db.user.update({
        where: { id: user.id },
        data: { lockedUntil: new Date(now.getTime() + minutes * 60_000), failedLogins: 0 },
      });
      return { ok: false, reason: "LOCKED" };
    }
    return { ok: false, reason: "INVALID" };
  }
  await db.user.update({ where: { id: user.id }, data: { failedLogins: 0, lockedUntil: null, lastLoginAt: now } });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}

// Server-side sessions. The Auth.js cookie is an encrypted JWT that carries only the id of a
// Session row; every request resolves the actor through that row, so a session ends the
// moment its row is revoked: sign-out, "sign out everywhere", a password change, an
// administrator's revocation, or its user being disabled, locked or deleted.
import type { Db, Tx } from "../db/client";
import { env } from "../env";
import type { Actor } from "./permissions";

export type RevokeReason = "SIGN_OUT" | "SIGN_OUT_EVERYWHERE" | "PASSWORD_CHANGED" | "DISABLED" | "LOCKED" | "ADMIN" | "DELETED";

/** lastSeenAt is refreshed at most this often (a conditional UPDATE), not on every request. */
const SEEN_RESOLUTION_MS = 5 * 60_000;

export async function createSession(db: Db | Tx, args: { userId: string; userAgent?: string; ipAddress?: string | null; now: Date }): Promise<string> {
  const row = await db.session.create({
    data: {
      userId: args.userId,
      createdAt: args.now,
      lastSeenAt: args.now,
      expiresAt: new Date(args.now.getTime() + env().ORQ_SESSION_HOURS * 3_600_000),
      userAgent: (args.userAgent ?? "").slice(0, 300),
      ipAddress: args.ipAddress ?? null,
    },
    select: { id: true },
  });
  return row.id;
}

/** A user that may act: not disabled, not deleted, not locked right now. */
export const usableUser = (now: Date) => ({ disabled: false, deletedAt: null, OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] });

/** Whether the session is live (not revoked or expired, its user usable). */
export async function isSessionLive(db: Db, sessionId: unknown, now: Date): Promise<boolean> {
  if (typeof sessionId !== "string" || !/^[0-9a-f-]{36}$/i.test(sessionId)) return false;
  const n = await db.session.count({ where: { id: sessionId, revokedAt: null, expiresAt: { gt: now }, user: usableUser(now) } });
  return n === 1;
}

/** The actor of a live session, or null. */
export async function sessionActor(db: Db, sessionId: unknown, now: Date): Promise<(Actor & { sessionId: string }) | null> {
  if (typeof sessionId !== "string" || !/^[0-9a-f-]{36}$/i.test(sessionId)) return null;
  const s = await db.session.findFirst({
    where: { id: sessionId, revokedAt: null, expiresAt: { gt: now }, user: usableUser(now) },
    select: {
      id: true,
      lastSeenAt: true,
      user: { select: { id: true, email: true, name: true, role: true, memberships: { select: { projectId: true, role: true } } } },
    },
  });
  if (!s) return null;
  if (now.getTime() - s.lastSeenAt.getTime() > SEEN_RESOLUTION_MS) {
    await db.session.updateMany({ where: { id: s.id, lastSeenAt: s.lastSeenAt }, data: { lastSeenAt: now } });
  }
  const u = s.user;
  return { id: u.id, email: u.email, name: u.name, role: u.role, memberships: new Map(u.memberships.map((m) => [m.projectId, m.role])), sessionId: s.id };
}

export async function revokeSession(db: Db | Tx, sessionId: string, reason: RevokeReason, now: Date): Promise<void> {
  await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now, revokedReason: reason } });
}

/** Revokes every live session of a user (but `except`, the caller's own, when given). Returns how many. */
export async function revokeUserSessions(db: Db | Tx, userId: string, reason: RevokeReason, now: Date, except?: string): Promise<number> {
  const r = await db.session.updateMany({
    where: { userId, revokedAt: null, ...(except ? { id: { not: except } } : {}) },
    data: { revokedAt: now, revokedReason: reason },
  });
  return r.count;
}

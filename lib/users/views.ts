import type { Prisma } from "../db/client";

export const userRowSelect = (now: Date) =>
  ({
    id: true,
    email: true,
    name: true,
    role: true,
    disabled: true,
    lockedUntil: true,
    lastLoginAt: true,
    createdAt: true,
    _count: {
      select: {
        sessions: { where: { revokedAt: null, expiresAt: { gt: now } } },
        apiTokens: { where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } },
        memberships: true,
      },
    },
  }) satisfies Prisma.UserSelect;

type Row = Prisma.UserGetPayload<{ select: ReturnType<typeof userRowSelect> }>;

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: "ADMIN" | "USER";
  disabled: boolean;
  /** When a lock from failed sign-ins ends; null when not locked. */
  lockedUntil: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
  activeSessions: number;
  activeTokens: number;
  projects: number;
}

export function toUserRow(r: Row, now: Date): UserRow {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    disabled: r.disabled,
    lockedUntil: r.lockedUntil && r.lockedUntil > now ? r.lockedUntil : null,
    lastLoginAt: r.lastLoginAt,
    createdAt: r.createdAt,
    activeSessions: r._count.sessions,
    activeTokens: r._count.apiTokens,
    projects: r._count.memberships,
  };
}

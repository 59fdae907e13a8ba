// The invitee opens their link and chooses a password: the invitation is spent (once, also
// under concurrent submissions: a conditional update), the password is set, and they sign in
// on the sign-in page. Expired, spent or unknown links all answer the same.
import "server-only";
import { randomUUID } from "node:crypto";
import { prisma, type Db } from "../db/client";
import { env } from "../env";
import { hashPassword } from "../auth/passwords";
import { recordAudit } from "../audit/record-audit";
import { hashInvitationToken, INVITED_PASSWORD, looksLikeInvitationToken } from "./invitations";

export type InvitationLookup = { ok: true; email: string; name: string } | { ok: false };

export async function findInvitation(db: Db, token: unknown, now = new Date()): Promise<InvitationLookup> {
  if (!looksLikeInvitationToken(token) || env().ORQ_LOCAL_LOGIN === "off") return { ok: false };
  const inv = await db.invitation.findUnique({ where: { tokenHash: hashInvitationToken(token) }, include: { user: { select: { email: true, name: true, disabled: true, deletedAt: true } } } });
  if (!inv || inv.acceptedAt || inv.expiresAt <= now || inv.user.disabled || inv.user.deletedAt) return { ok: false };
  return { ok: true, email: inv.user.email, name: inv.user.name };
}

export async function acceptInvitation(db: Db, input: { token: string; password: string }, now = new Date()): Promise<{ ok: true; email: string } | { ok: false }> {
  if (!(await findInvitation(db, input.token, now)).ok) return { ok: false };
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    const inv = await tx.invitation.findUnique({ where: { tokenHash: hashInvitationToken(input.token) }, include: { user: true } });
    if (!inv) return { ok: false as const };
    const spent = await tx.invitation.updateMany({ where: { id: inv.id, acceptedAt: null, expiresAt: { gt: now } }, data: { acceptedAt: now } });
    if (spent.count !== 1) return { ok: false as const };
    const set = await tx.user.updateMany({ where: { id: inv.userId, passwordHash: INVITED_PASSWORD, disabled: false, deletedAt: null }, data: { passwordHash } });
    if (set.count !== 1) throw new Error("invitation for a user who is no longer invited");
    const actor = { id: inv.user.id, email: inv.user.email, name: inv.user.name, role: inv.user.role, memberships: new Map() };
    await recordAudit(tx, { actor, correlationId: randomUUID() }, { action: "user.accept_invitation", targetType: "User", targetId: inv.userId });
    return { ok: true as const, email: inv.user.email };
  });
}

/** For the invitation page and its form (no session yet, so no Ctx): the portal's database. */
export const findInvitationByLink = (token: unknown) => findInvitation(prisma(), token);
export const acceptInvitationByLink = (input: { token: string; password: string }) => acceptInvitation(prisma(), input);

// The portal side of a single sign-on: from the identity provider's claims (already verified
// by the OIDC client: signature, issuer, audience, nonce), find or create the user, keep their
// e-mail and name current, and set their IdP group memberships (which grant project roles and
// the administrator role through the mapping administrators edit at /admin/groups).
// - A user is found by (issuer, subject): e-mail changes at the IdP follow the account.
// - First sign-in with an e-mail a local account already has: linked when the IdP says the
//   e-mail is verified (ORQ_OIDC_LINK_BY_EMAIL=verified, the default), or always, or never.
// - Disabled and deleted users are refused; so is a token without an e-mail.
// Every outcome is audited.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Db, Tx } from "../db/client";
import { recordAudit } from "../audit/record-audit";
import { syncIdpGroups } from "../groups/sync-idp-groups";
import { claimValue, groupsFromClaims, type OidcSettings } from "./oidc-config";

/** Stored instead of a password hash: no password can match it (SSO-only account). */
export const SSO_ONLY_PASSWORD = "!sso";

export type ProvisionFailure = "NO_EMAIL" | "DISABLED" | "LOCKED" | "EMAIL_TAKEN";
export type ProvisionResult =
  | { ok: true; userId: string; created: boolean; linked: boolean; groups: string[] }
  | { ok: false; reason: ProvisionFailure };

const email = z.string().trim().toLowerCase().email().max(254);

const str = (v: unknown, max: number) => (typeof v === "string" && v.trim() ? v.trim().slice(0, max) : null);

export async function provisionOidcUser(
  db: Db,
  claims: Record<string, unknown>,
  settings: Pick<OidcSettings, "issuer" | "claims" | "linkByEmail">,
  opts: { now: Date; ip?: string | null },
): Promise<ProvisionResult> {
  const correlationId = randomUUID();
  const sub = str(claims.sub, 255);
  const parsedEmail = email.safeParse(claimValue(claims, settings.claims.email));
  const name = str(claimValue(claims, settings.claims.name), 200) ?? str(claims.preferred_username, 200);
  const groups = groupsFromClaims(claims, settings.claims.groups);
  const verified = claims.email_verified === true || claims.email_verified === "true";

  const refuse = async (tx: Tx | Db, reason: ProvisionFailure, userId: string | null, who: string | null) => {
    await tx.auditEvent.create({
      data: {
        at: opts.now,
        actorEmail: who,
        action: "auth.signin_failed",
        targetType: "User",
        targetId: userId,
        after: { reason, method: "sso", issuer: settings.issuer, subject: sub, ip: opts.ip ?? null },
        correlationId,
      },
    });
    return { ok: false as const, reason };
  };
  if (!sub || !parsedEmail.success) return refuse(db, "NO_EMAIL", null, sub ? `sso:${sub}` : null);
  const mail = parsedEmail.data;

  return db.$transaction(async (tx) => {
    let user = await tx.user.findUnique({ where: { oidcIssuer_oidcSubject: { oidcIssuer: settings.issuer, oidcSubject: sub } } });
    let created = false;
    let linked = false;
    if (!user) {
      const byEmail = await tx.user.findFirst({ where: { email: mail, deletedAt: null } });
      if (byEmail) {
        const allowed = !byEmail.oidcSubject && (settings.linkByEmail === "always" || (settings.linkByEmail === "verified" && verified));
        if (!allowed) return refuse(tx, "EMAIL_TAKEN", byEmail.id, mail);
        user = await tx.user.update({ where: { id: byEmail.id }, data: { oidcIssuer: settings.issuer, oidcSubject: sub } });
        linked = true;
      } else {
        user = await tx.user.create({
          data: { email: mail, name: name ?? mail, passwordHash: SSO_ONLY_PASSWORD, oidcIssuer: settings.issuer, oidcSubject: sub },
        });
        created = true;
      }
    }
    if (user.disabled || user.deletedAt) return refuse(tx, "DISABLED", user.id, user.email);
    // Locked by failed password attempts: sessions of a locked user do not work until it ends.
    if (user.lockedUntil && user.lockedUntil > opts.now) return refuse(tx, "LOCKED", user.id, user.email);

    // Keep the profile as the IdP has it (an e-mail another account holds stays as it was).
    const updates: { email?: string; name?: string } = {};
    if (mail !== user.email && !(await tx.user.findFirst({ where: { email: mail, id: { not: user.id } }, select: { id: true } }))) updates.email = mail;
    if (name && name !== user.name) updates.name = name;
    await tx.user.update({ where: { id: user.id }, data: { ...updates, lastLoginAt: opts.now, failedLogins: 0 } });

    const sync = await syncIdpGroups(tx, user.id, groups);
    const ctx = { actor: { id: user.id, email: updates.email ?? user.email, name: updates.name ?? user.name, role: user.role, memberships: new Map() }, correlationId };
    if (created) await recordAudit(tx, ctx, { action: "user.sso_provision", targetType: "User", targetId: user.id, after: { email: mail, issuer: settings.issuer, subject: sub } });
    if (linked) await recordAudit(tx, ctx, { action: "user.sso_link", targetType: "User", targetId: user.id, after: { issuer: settings.issuer, subject: sub } });
    await recordAudit(tx, ctx, {
      action: "auth.sso_signin",
      targetType: "User",
      targetId: user.id,
      after: { ip: opts.ip ?? null, claimGroups: groups, groups: sync.groups, joined: sync.joined, left: sync.left, ...(Object.keys(updates).length ? { updated: updates } : {}) },
    });
    return { ok: true as const, userId: user.id, created, linked, groups: sync.groups };
  });
}

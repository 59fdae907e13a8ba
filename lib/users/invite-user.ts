// Invites a person to a local account: the user is created (no password yet), and an e-mail
// in their language carries a one-time link where they choose their password. Without e-mail
// (no SMTP configured) the administrator gets the link to pass on. Re-inviting someone who
// has not accepted yet replaces their link. Not available when password sign-in is off
// (ORQ_LOCAL_LOGIN=off): people then come through the identity provider.
import "server-only";
import type { Ctx } from "../context";
import type { Tx } from "../db/client";
import { assertCan } from "../auth/permissions";
import { conflict, notFound, validationError } from "../errors";
import { env } from "../env";
import { recordAudit } from "../audit/record-audit";
import { mailEnabled, publicUrl } from "../email/config";
import { queueEmail } from "../email/queue-email";
import { emailLocale, renderInvitationEmail } from "../email/render";
import { INVITATION_DAYS, INVITED_PASSWORD, newInvitationToken } from "./invitations";
import { getUser } from "./get-user";
import type { InviteUserInput } from "./schemas";
import type { UserRow } from "./views";

export interface InvitationResult {
  user: UserRow;
  /** Whether the link went out by e-mail. */
  emailed: boolean;
  /** The link, when it could not be e-mailed (shown once to the administrator). */
  invitationUrl: string | null;
  expiresAt: Date;
}

async function issue(tx: Tx, ctx: Ctx, user: { id: string; email: string; name: string; locale: string | null }, locale: string | null) {
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86_400_000);
  const { token, tokenHash } = newInvitationToken();
  await tx.invitation.deleteMany({ where: { userId: user.id, acceptedAt: null } });
  await tx.invitation.create({ data: { userId: user.id, tokenHash, expiresAt, invitedById: ctx.actor.id } });
  const url = `${publicUrl()}/invite/${token}`;
  const emailed = mailEnabled();
  if (emailed) {
    const rendered = renderInvitationEmail({ locale: locale ?? user.locale, name: user.name, inviter: ctx.actor.name, url, expiresAt, baseUrl: publicUrl() });
    await queueEmail(tx, { ...rendered, to: user.email, locale: emailLocale(locale ?? user.locale), kind: "invitation", userId: user.id, sensitive: true });
  }
  return { emailed, invitationUrl: emailed ? null : url, expiresAt };
}

function assertLocalAccounts() {
  if (env().ORQ_LOCAL_LOGIN === "off") throw conflict("Password sign-in is switched off (ORQ_LOCAL_LOGIN=off): people sign in through the identity provider", { reason: "LOCAL_LOGIN_OFF" });
}

export async function inviteUser(ctx: Ctx, input: InviteUserInput): Promise<InvitationResult> {
  assertCan(ctx.actor, "user.manage");
  assertLocalAccounts();
  const r = await ctx.db.$transaction(async (tx) => {
    const taken = await tx.user.findUnique({ where: { email: input.email }, select: { id: true } });
    if (taken) throw validationError({ email: ["users.validation.emailTaken"] });
    const user = await tx.user.create({
      data: { email: input.email, name: input.name, role: input.role, passwordHash: INVITED_PASSWORD, locale: input.locale ?? null },
      select: { id: true, email: true, name: true, locale: true },
    });
    const sent = await issue(tx, ctx, user, input.locale ?? null);
    await recordAudit(tx, ctx, { action: "user.invite", targetType: "User", targetId: user.id, after: { email: user.email, role: input.role, emailed: sent.emailed, expiresAt: sent.expiresAt.toISOString() } });
    return { id: user.id, ...sent };
  });
  return { user: await getUser(ctx, { id: r.id }), emailed: r.emailed, invitationUrl: r.invitationUrl, expiresAt: r.expiresAt };
}

/** A new link for someone who has not accepted yet (the old one stops working). */
export async function resendInvitation(ctx: Ctx, input: { id: string }): Promise<InvitationResult> {
  assertCan(ctx.actor, "user.manage");
  assertLocalAccounts();
  const r = await ctx.db.$transaction(async (tx) => {
    const user = await tx.user.findFirst({ where: { id: input.id, deletedAt: null }, select: { id: true, email: true, name: true, locale: true, passwordHash: true } });
    if (!user) throw notFound("User");
    if (user.passwordHash !== INVITED_PASSWORD) throw conflict("This user has already accepted their invitation", { reason: "ALREADY_ACCEPTED" });
    const sent = await issue(tx, ctx, user, null);
    await recordAudit(tx, ctx, { action: "user.reinvite", targetType: "User", targetId: user.id, after: { emailed: sent.emailed, expiresAt: sent.expiresAt.toISOString() } });
    return { id: user.id, ...sent };
  });
  return { user: await getUser(ctx, { id: r.id }), emailed: r.emailed, invitationUrl: r.invitationUrl, expiresAt: r.expiresAt };
}

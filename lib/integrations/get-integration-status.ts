// What is connected, for Administration -> Integrations: single sign-on, e-mail and the
// webhook address policy, as configured (never a secret or a password).
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { env } from "../env";
import { oidcSettings } from "../auth/oidc-config";
import { publicUrl, smtpSettings } from "../email/config";
import { readSetting } from "../settings/settings";

export interface IntegrationStatus {
  publicUrl: string;
  sso: null | { issuer: string; clientId: string; name: string; scopes: string; claims: { email: string; name: string; groups: string }; userinfo: boolean; linkByEmail: string; callbackUrl: string };
  localLogin: "on" | "off" | "admins";
  smtp: null | { host: string; port: number; tls: string; verifyCertificate: boolean; user: string | null; from: string };
  email: { pending: number; failed: number; sentLastDay: number };
  webhooks: { allowedNetworks: string[]; subscriptions: number; failedLastDay: number };
}

export async function getIntegrationStatus(ctx: Ctx): Promise<IntegrationStatus> {
  assertCan(ctx.actor, "integration.manage");
  const since = new Date(ctx.now().getTime() - 86_400_000);
  const sso = oidcSettings();
  const smtp = smtpSettings();
  const [pending, failed, sentLastDay, allowedNetworks, subscriptions, failedLastDay] = await Promise.all([
    ctx.db.emailMessage.count({ where: { status: "PENDING" } }),
    ctx.db.emailMessage.count({ where: { status: "FAILED", createdAt: { gte: since } } }),
    ctx.db.emailMessage.count({ where: { status: "SENT", sentAt: { gte: since } } }),
    readSetting(ctx.db, "webhooks.allowedNetworks"),
    ctx.db.webhookSubscription.count(),
    ctx.db.webhookDelivery.count({ where: { status: "FAILED", createdAt: { gte: since } } }),
  ]);
  return {
    publicUrl: publicUrl(),
    sso: sso
      ? { issuer: sso.issuer, clientId: sso.clientId, name: sso.name, scopes: sso.scopes, claims: sso.claims, userinfo: sso.userinfo, linkByEmail: sso.linkByEmail, callbackUrl: `${publicUrl()}/api/auth/callback/oidc` }
      : null,
    localLogin: env().ORQ_LOCAL_LOGIN,
    smtp: smtp ? { host: smtp.host, port: smtp.port, tls: smtp.tls, verifyCertificate: smtp.verifyCertificate, user: smtp.user ?? null, from: smtp.from } : null,
    email: { pending, failed, sentLastDay },
    webhooks: { allowedNetworks, subscriptions, failedLastDay },
  };
}

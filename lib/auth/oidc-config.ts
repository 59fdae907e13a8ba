// Single sign-on settings (OpenID Connect), read from the environment. SSO is on when the
// issuer, client id and client secret are all set; the portal then offers "Sign in with
// <ORQ_OIDC_NAME>" (authorization code flow with PKCE, state and nonce, through Auth.js).
// Claim names are configurable because identity providers differ: Keycloak sends `groups`
// (with a mapper), Entra ID `groups` (object ids) or `roles`, Okta `groups`, Dex `groups`;
// a dotted name walks into an object claim ("realm_access.roles").
import { env, type Env } from "../env";

export const OIDC_PROVIDER_ID = "oidc";

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  name: string;
  claims: { email: string; name: string; groups: string };
  userinfo: boolean;
  linkByEmail: "verified" | "always" | "never";
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** The SSO settings, or null when SSO is not configured. Throws on an unsafe issuer URL. */
export function oidcSettings(e: Env = env()): OidcSettings | null {
  if (!e.ORQ_OIDC_ISSUER || !e.ORQ_OIDC_CLIENT_ID || !e.ORQ_OIDC_CLIENT_SECRET) return null;
  const issuer = new URL(e.ORQ_OIDC_ISSUER);
  if (issuer.protocol === "http:" && !LOOPBACK.has(issuer.hostname) && !e.ORQ_OIDC_ALLOW_HTTP) {
    throw new Error("ORQ_OIDC_ISSUER must use https:// (http:// is accepted on loopback, or with ORQ_OIDC_ALLOW_HTTP=true)");
  }
  const scopes = e.ORQ_OIDC_SCOPES.split(/[\s,]+/).filter(Boolean);
  if (!scopes.includes("openid")) scopes.unshift("openid");
  return {
    // The issuer exactly as configured: it must equal the `iss` the provider puts in tokens.
    issuer: e.ORQ_OIDC_ISSUER,
    clientId: e.ORQ_OIDC_CLIENT_ID,
    clientSecret: e.ORQ_OIDC_CLIENT_SECRET,
    scopes: scopes.join(" "),
    name: e.ORQ_OIDC_NAME,
    claims: { email: e.ORQ_OIDC_CLAIM_EMAIL, name: e.ORQ_OIDC_CLAIM_NAME, groups: e.ORQ_OIDC_CLAIM_GROUPS },
    userinfo: e.ORQ_OIDC_USERINFO,
    linkByEmail: e.ORQ_OIDC_LINK_BY_EMAIL,
  };
}

/** What the sign-in page needs to know (never the secret). */
export function signInOptions(e: Env = env()): { sso: { name: string } | null; localLogin: "on" | "off" | "admins" } {
  const s = oidcSettings(e);
  return { sso: s ? { name: s.name } : null, localLogin: e.ORQ_LOCAL_LOGIN };
}

/** A claim by (dotted) name. */
export function claimValue(claims: Record<string, unknown>, name: string): unknown {
  if (name in claims) return claims[name];
  let cur: unknown = claims;
  for (const part of name.split(".")) {
    if (!cur || typeof cur !== "object" || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** The group names in the claim: a list, or one name, or a space/comma-separated string. */
export function groupsFromClaims(claims: Record<string, unknown>, name: string): string[] {
  const v = claimValue(claims, name);
  const list = Array.isArray(v) ? v : typeof v === "string" ? v.split(/[\s,]+/) : [];
  return [...new Set(list.filter((g): g is string => typeof g === "string" && g.length > 0 && g.length <= 256))];
}

/** Claims of a JWT (already validated by the OIDC client library), without checking it again. */
export function jwtClaims(jwt: unknown): Record<string, unknown> {
  if (typeof jwt !== "string") return {};
  const part = jwt.split(".")[1];
  if (!part) return {};
  try {
    const v: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

// The Auth.js configuration: password sign-in (Credentials) and, when configured, single
// sign-on through an OpenID Connect provider (authorization code with PKCE, state and nonce).
// Both end in the same place: a server-side Session row whose id is all the (encrypted JWT)
// cookie carries; every request checks the row, so revoking it ends the session at once,
// whichever way the user signed in. Roles and memberships are read from the database on every
// request (lib/auth/session.ts), never from the cookie or the IdP's token.
//
// Built by a function so the integration test runs the very same configuration through
// @auth/core against a real OIDC provider and a test database.
import type { NextAuthConfig } from "next-auth";
import { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import type { Db } from "../db/client";
import { clientAddress } from "../security/client-address";
import { verifyCredentials } from "./verify-credentials";
import { createSession, isSessionLive, revokeSession } from "./sessions";
import { safeCallbackPath } from "./redirect";
import { jwtClaims, OIDC_PROVIDER_ID, type OidcSettings } from "./oidc-config";
import { provisionOidcUser } from "./provision-oidc-user";

/** One answer for every failure: neither the text nor the code tells whether the e-mail exists or is locked. */
class SignInFailed extends CredentialsSignin {
  code = "invalid";
}

/** Errors a refused single sign-on shows on the sign-in page (/login?error=...). */
export const SSO_ERRORS = ["NO_EMAIL", "DISABLED", "LOCKED", "EMAIL_TAKEN"] as const;

export interface AuthConfigDeps {
  db: () => Db;
  /** null: single sign-on is off. */
  oidc: OidcSettings | null;
  sessionHours: number;
  /** The request being handled (absent for auth() in server components). */
  headers?: Headers;
}

interface SignedInUser {
  id?: string;
  sessionId?: string;
  claims?: Record<string, unknown>;
}

export function authConfig(deps: AuthConfigDeps): NextAuthConfig {
  const { db, oidc } = deps;
  const client = () => ({ ip: deps.headers ? clientAddress(deps.headers) : "unknown", userAgent: deps.headers?.get("user-agent") ?? "" });
  return {
    trustHost: true,
    session: { strategy: "jwt", maxAge: deps.sessionHours * 60 * 60 },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      Credentials({
        credentials: { email: {}, password: {} },
        authorize: async (raw, request) => {
          const now = new Date();
          const headers = request?.headers ?? new Headers();
          const ip = clientAddress(headers);
          const result = await verifyCredentials(db(), raw, now, { ip });
          if (!result.ok) throw new SignInFailed();
          const sessionId = await createSession(db(), { userId: result.user.id, userAgent: headers.get("user-agent") ?? "", ipAddress: ip, now });
          return { id: result.user.id, email: result.user.email, name: result.user.name, sessionId };
        },
      }),
      ...(oidc
        ? [
            {
              id: OIDC_PROVIDER_ID,
              name: oidc.name,
              type: "oidc" as const,
              issuer: oidc.issuer,
              clientId: oidc.clientId,
              clientSecret: oidc.clientSecret,
              checks: ["pkce", "state", "nonce"] as ("pkce" | "state" | "nonce")[],
              authorization: { params: { scope: oidc.scopes } },
              // false: the profile comes from the userinfo endpoint (the ID token of the code flow
              // often carries only `sub`); the ID token's claims are merged under it below.
              idToken: !oidc.userinfo,
              profile: (profile: Record<string, unknown>, tokens: { id_token?: unknown }) => {
                const claims = { ...jwtClaims(tokens.id_token), ...profile };
                return { id: String(claims.sub), email: typeof claims.email === "string" ? claims.email : null, name: null, claims };
              },
            },
          ]
        : []),
    ],
    callbacks: {
      signIn: async ({ user, account, profile }) => {
        if (account?.provider !== OIDC_PROVIDER_ID || !oidc) return true; // passwords: authorize() did it all
        const u = user as SignedInUser;
        const now = new Date();
        const { ip, userAgent } = client();
        const r = await provisionOidcUser(db(), u.claims ?? (profile as Record<string, unknown>) ?? {}, oidc, { now, ip });
        if (!r.ok) return `/login?error=${r.reason}`;
        // Auth.js hands this same object to the jwt callback next: it carries our user and session.
        u.id = r.userId;
        u.sessionId = await createSession(db(), { userId: r.userId, userAgent, ipAddress: ip, now });
        delete u.claims;
        return true;
      },
      jwt: async ({ token, user }) => {
        if (user) {
          const u = user as SignedInUser;
          if (!u.id || !u.sessionId) return null;
          // Only the ids: nothing of the IdP's tokens is kept in the cookie.
          return { sub: u.id, sid: u.sessionId };
        }
        // Every later use: a revoked or expired session clears the cookie instead of renewing it.
        return (await isSessionLive(db(), token.sid, new Date())) ? token : null;
      },
      session: ({ session, token }) => {
        if (token.sub && session.user) session.user.id = token.sub;
        (session as { sessionId?: unknown }).sessionId = token.sid;
        return session;
      },
      redirect: ({ url, baseUrl }) => {
        if (url.startsWith(baseUrl)) url = url.slice(baseUrl.length) || "/";
        // A refused single sign-on goes back to the sign-in page with its reason.
        const refused = /^\/login\?error=([A-Z_]+)$/.exec(url);
        if (refused && (SSO_ERRORS as readonly string[]).includes(refused[1])) return `${baseUrl}${url}`;
        // Otherwise relative paths only, through the same check as the sign-in form.
        return `${baseUrl}${safeCallbackPath(url, "/login")}`;
      },
    },
    events: {
      signOut: async (message) => {
        const token = "token" in message ? message.token : null;
        if (typeof token?.sid === "string") await revokeSession(db(), token.sid, "SIGN_OUT", new Date());
      },
    },
  };
}

// Auth.js v5 for the portal (configuration in lib/auth/auth-config.ts). Initialised per
// request so the sign-in callbacks know the client's address and browser for the Session row.
import NextAuth from "next-auth";
import { prisma } from "../db/client";
import { env } from "../env";
import { authConfig } from "./auth-config";
import { oidcSettings } from "./oidc-config";

// Auth.js builds the OIDC redirect_uri from the request URL, which under `next start -H 0.0.0.0`
// names the bind address (http://0.0.0.0:3000): the token exchange then sends a redirect_uri
// other than the authorization request's and the IdP answers invalid_grant. The configured
// public URL is the address the IdP knows (found by e2e/sso.spec.ts).
const publicUrl = env().ORQ_PUBLIC_URL;
if (publicUrl && !process.env.AUTH_URL) process.env.AUTH_URL = `${publicUrl.replace(/\/+$/, "")}/api/auth`;

export const { handlers, auth, signIn, signOut } = NextAuth((req) =>
  authConfig({ db: prisma, oidc: oidcSettings(), sessionHours: env().ORQ_SESSION_HOURS, headers: req?.headers }),
);

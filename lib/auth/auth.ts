// Auth.js v5 for the portal (configuration in lib/auth/auth-config.ts). Initialised per
// request so the sign-in callbacks know the client's address and browser for the Session row.
import NextAuth from "next-auth";
import { prisma } from "../db/client";
import { env } from "../env";
import { authConfig } from "./auth-config";
import { oidcSettings } from "./oidc-config";

export const { handlers, auth, signIn, signOut } = NextAuth((req) =>
  authConfig({ db: prisma, oidc: oidcSettings(), sessionHours: env().ORQ_SESSION_HOURS, headers: req?.headers }),
);

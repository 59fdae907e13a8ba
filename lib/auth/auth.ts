// Auth.js v5: credentials sign-in with server-side sessions. The Credentials provider needs
// the JWT strategy; the (encrypted) JWT carries only the id of a Session row
// (lib/auth/sessions.ts), checked on every use: the jwt callback returns null for a revoked
// or expired session, which makes Auth.js clear the cookie instead of re-issuing it, and
// sign-out revokes the row, so a copied cookie stops working everywhere at once. Roles and
// memberships are read from the database on every request (lib/auth/session.ts).
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { prisma } from "../db/client";
import { env } from "../env";
import { clientAddress } from "../security/client-address";
import { verifyCredentials } from "./verify-credentials";
import { createSession, isSessionLive, revokeSession } from "./sessions";
import { safeCallbackPath } from "./redirect";

/** One answer for every failure: neither the text nor the code tells whether the e-mail exists or is locked. */
class SignInFailed extends CredentialsSignin {
  code = "invalid";
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  trustHost: true,
  session: { strategy: "jwt", maxAge: env().ORQ_SESSION_HOURS * 60 * 60 },
  pages: { signIn: "/login" },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      authorize: async (raw, request) => {
        const now = new Date();
        const headers = request?.headers ?? new Headers();
        const ip = clientAddress(headers);
        const result = await verifyCredentials(prisma(), raw, now, { ip });
        if (!result.ok) throw new SignInFailed();
        const sessionId = await createSession(prisma(), { userId: result.user.id, userAgent: headers.get("user-agent") ?? "", ipAddress: ip, now });
        return { id: result.user.id, email: result.user.email, name: result.user.name, sessionId };
      },
    }),
  ],
  callbacks: {
    jwt: async ({ token, user }) => {
      if (user?.id) {
        token.sub = user.id;
        token.sid = (user as { sessionId?: string }).sessionId;
        return token;
      }
      // Every later use: a revoked or expired session clears the cookie instead of renewing it.
      return (await isSessionLive(prisma(), token.sid, new Date())) ? token : null;
    },
    session: ({ session, token }) => {
      if (token.sub && session.user) session.user.id = token.sub;
      (session as { sessionId?: unknown }).sessionId = token.sid;
      return session;
    },
    redirect: ({ url, baseUrl }) => {
      // Relative paths only, through the same check as the sign-in form.
      if (url.startsWith(baseUrl)) url = url.slice(baseUrl.length) || "/";
      return `${baseUrl}${safeCallbackPath(url, "/login")}`;
    },
  },
  events: {
    signOut: async (message) => {
      const token = "token" in message ? message.token : null;
      if (typeof token?.sid === "string") await revokeSession(prisma(), token.sid, "SIGN_OUT", new Date());
    },
  },
});

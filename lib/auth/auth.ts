// Auth.js v5: credentials sign-in, JWT sessions carrying only the user id. Roles and
// memberships are read from the database on every request (lib/auth/session.ts).
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { prisma } from "../db/client";
import { verifyCredentials } from "./verify-credentials";

class LockedError extends CredentialsSignin {
  code = "locked";
}
class InvalidError extends CredentialsSignin {
  code = "invalid";
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  trustHost: true,
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/login" },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      authorize: async (raw) => {
        const result = await verifyCredentials(prisma(), raw);
        if (!result.ok) throw result.reason === "LOCKED" ? new LockedError() : new InvalidError();
        return { id: result.user.id, email: result.user.email, name: result.user.name };
      },
    }),
  ],
  callbacks: {
    jwt: ({ token, user }) => {
      if (user?.id) token.sub = user.id;
      return token;
    },
    session: ({ session, token }) => {
      if (token.sub && session.user) session.user.id = token.sub;
      return session;
    },
  },
});

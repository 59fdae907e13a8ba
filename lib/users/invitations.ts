// Invitation links: `<ORQ_PUBLIC_URL>/invite/<token>`, 32 random bytes; only the SHA-256 of
// the token is stored. A link works once, for INVITATION_DAYS.
import { createHash, randomBytes } from "node:crypto";

export const INVITATION_DAYS = 7;
/** Stored instead of a password hash until the invitee chooses one. */
export const INVITED_PASSWORD = "!invited";

export function newInvitationToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashInvitationToken(token) };
}

export const hashInvitationToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

export const looksLikeInvitationToken = (s: unknown): s is string => typeof s === "string" && /^[A-Za-z0-9_-]{43}$/.test(s);

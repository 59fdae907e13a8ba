// The shape of a personal API token: `orq_<prefix>_<secret>`, where prefix is 8 hex
// characters (shown in lists so people can tell tokens apart) and secret is 32 random bytes
// in base64url. Only sha256 of the whole string is stored: a database leak reveals no token,
// and since the lookup is by hash, timing of the comparison reveals nothing about the secret.
import { createHash, randomBytes } from "node:crypto";

export const TOKEN_PREFIX = "orq_";
const SHAPE = /^orq_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/;

export function generateTokenSecret(): { secret: string; prefix: string; tokenHash: string } {
  const prefix = `${TOKEN_PREFIX}${randomBytes(4).toString("hex")}`;
  const secret = `${prefix}_${randomBytes(32).toString("base64url")}`;
  return { secret, prefix, tokenHash: hashTokenSecret(secret) };
}

export const hashTokenSecret = (secret: string) => createHash("sha256").update(secret, "utf8").digest("hex");

/** Cheap shape check before touching the database (garbage never costs a query). */
export const looksLikeToken = (s: string) => SHAPE.test(s);

// A 429 for a client address already over its sign-in limit (lib/auth/verify-credentials.ts
// counts the attempts); null when it may try.
import "server-only";
import { prisma } from "../db/client";
import { env } from "../env";
import { clientAddress } from "../security/client-address";
import { peekLimit } from "../security/rate-limit";
import { addressKey } from "./verify-credentials";

export async function signInThrottle(headers: Headers, now = new Date()): Promise<Response | null> {
  const { ORQ_LOGIN_IP_MAX_FAILURES: limit, ORQ_LOGIN_LOCK_MINUTES: minutes } = env();
  const state = await peekLimit(prisma(), { key: addressKey(clientAddress(headers)), limit, windowMs: minutes * 60_000 }, now);
  if (!state || state.count < limit) return null;
  return Response.json(
    { error: { code: "RATE_LIMITED", message: "Too many sign-in attempts from this address; try again later", details: { retryAfterSeconds: state.retryAfterSeconds } } },
    { status: 429, headers: { "Retry-After": String(state.retryAfterSeconds), "Cache-Control": "no-store" } },
  );
}

// Webhook signatures: HMAC-SHA256 with the subscription's secret over "<timestamp>.<body>",
// sent as `Orquestra-Signature: t=<unix seconds>,v1=<hex>`. The timestamp is inside the
// signed text, so a receiver that checks it (within 5 minutes) refuses replays of an old
// delivery; comparing in constant time keeps the signature from leaking byte by byte.
// (README "Webhooks" has a receiver's verification in plain Node.)
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "Orquestra-Signature";
export const EVENT_HEADER = "Orquestra-Event";
export const DELIVERY_HEADER = "Orquestra-Delivery";
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** A new signing secret: "whsec_" and 32 random bytes. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString("base64url")}`;

export function signatureOf(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex");
}

export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${signatureOf(secret, timestamp, body)}`;
}

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: "malformed" | "stale" | "mismatch" };

/** What a receiver does: parse the header, check the age, compare in constant time. */
export function verifySignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  opts: { now?: Date; toleranceSeconds?: number } = {},
): VerifyResult {
  if (!header) return { ok: false, reason: "malformed" };
  const parts = new Map<string, string[]>();
  for (const item of header.split(",")) {
    const i = item.indexOf("=");
    if (i <= 0) continue;
    const k = item.slice(0, i).trim();
    parts.set(k, [...(parts.get(k) ?? []), item.slice(i + 1).trim()]);
  }
  const t = Number(parts.get("t")?.[0]);
  const candidates = parts.get("v1") ?? [];
  if (!Number.isInteger(t) || candidates.length === 0) return { ok: false, reason: "malformed" };
  const now = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - t) > (opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return { ok: false, reason: "stale" };
  const expected = Buffer.from(signatureOf(secret, t, body), "hex");
  for (const c of candidates) {
    if (!/^[0-9a-f]{64}$/i.test(c)) continue;
    if (timingSafeEqual(expected, Buffer.from(c, "hex"))) return { ok: true, timestamp: t };
  }
  return { ok: false, reason: "mismatch" };
}

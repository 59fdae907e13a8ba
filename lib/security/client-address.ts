// The client's address for rate limits and the sign-in audit. `next start` puts the peer
// address in X-Forwarded-For when the request has none; each reverse proxy in front of the
// portal appends the address of its own peer. So with N trusted proxies the client is the
// N-th entry from the right, which no client can forge as long as that many proxies really
// are in front. With no proxy it is the last entry: the peer, unless the client sent its
// own X-Forwarded-For, in which case it chooses the address it is counted under (the
// per-account sign-in limit still holds).
import { isIP } from "node:net";
import { env } from "../env";

export function clientAddress(headers: Headers, trustedProxies = env().ORQ_TRUSTED_PROXIES): string {
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const candidate = chain[chain.length - Math.max(1, trustedProxies)] ?? "";
  // IPv4-mapped IPv6 ("::ffff:127.0.0.1") is the IPv4 address.
  const plain = candidate.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  return isIP(plain) ? plain : "unknown";
}

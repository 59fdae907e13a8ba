// Security headers of every response (set in proxy.ts). Pages get a nonce-based Content
// Security Policy: scripts run only with this request's nonce (Next.js adds it to its own
// scripts when it sees the nonce in the request's CSP header), 'strict-dynamic' lets those
// load their chunks, and nothing else executes: no inline handlers, no eval (except in
// development, where React needs it), no plugins, no foreign origins. Styles come from our
// own stylesheets; style attributes (charts and positioned popovers set them) are allowed,
// <style> elements only with the nonce or a listed hash (lib/security/style-hashes.ts). API answers get a policy that allows nothing at all.
// HSTS is sent when the request arrived over HTTPS (directly or per X-Forwarded-Proto from
// the proxy that terminated TLS): browsers ignore it over plain HTTP anyway.
import { RUNTIME_STYLE_HASHES } from "./style-hashes";

export interface HeaderInput {
  nonce: string;
  https: boolean;
  dev: boolean;
  /** A JSON route (app/api/**): a deny-everything policy instead of the page policy. */
  api: boolean;
}

export function contentSecurityPolicy({ nonce, dev, api, https }: Omit<HeaderInput, "https"> & { https?: boolean }): string {
  if (api) return "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}' ${RUNTIME_STYLE_HASHES.map((h) => `'${h}'`).join(" ")}`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

export const PERMISSIONS_POLICY =
  "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), browsing-topics=()";

export function securityHeaders(input: HeaderInput): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(input),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    ...(input.https ? { "Strict-Transport-Security": "max-age=63072000; includeSubDomains" } : {}),
  };
}

/** Whether the request came over HTTPS, as seen by the server or the TLS-terminating proxy. */
export function isHttps(url: string, headers: Headers): boolean {
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  if (proto) return proto === "https";
  return url.startsWith("https:");
}

/** HTTP methods the application serves; anything else (TRACE, CONNECT, PROPFIND...) is refused. */
export const SERVED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, isHttps, securityHeaders } from "./headers";

describe("security headers", () => {
  it("gives pages a nonce-based policy without unsafe-inline scripts or eval", () => {
    const csp = contentSecurityPolicy({ nonce: "abc123", dev: false, api: false });
    expect(csp).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
    expect(contentSecurityPolicy({ nonce: "n", dev: true, api: false })).toContain("'unsafe-eval'");
  });

  it("gives API answers a deny-everything policy", () => {
    expect(contentSecurityPolicy({ nonce: "n", dev: false, api: true })).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
  });

  it("sends HSTS only over HTTPS, including behind a proxy", () => {
    expect(securityHeaders({ nonce: "n", https: false, dev: false, api: false })["Strict-Transport-Security"]).toBeUndefined();
    expect(securityHeaders({ nonce: "n", https: true, dev: false, api: false })["Strict-Transport-Security"]).toMatch(/^max-age=\d+/);
    expect(isHttps("http://x/", new Headers({ "x-forwarded-proto": "https" }))).toBe(true);
    expect(isHttps("http://x/", new Headers({ "x-forwarded-proto": "https, http" }))).toBe(true);
    expect(isHttps("http://x/", new Headers())).toBe(false);
    expect(isHttps("https://x/", new Headers())).toBe(true);
  });

  it("always sets the framing, sniffing, referrer and permissions policies", () => {
    const h = securityHeaders({ nonce: "n", https: false, dev: false, api: false });
    expect(h).toMatchObject({ "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin" });
    expect(h["Permissions-Policy"]).toContain("camera=()");
  });
});

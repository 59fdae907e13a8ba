// Runs before every route: refuses methods the application does not serve (TRACE and
// friends answered 500 before), and sets the security headers, with a fresh CSP nonce per
// page request (lib/security/headers.ts). Static build assets skip it (next.config.js gives
// them the static headers).
import { NextResponse, type NextRequest } from "next/server";
import { isHttps, securityHeaders, SERVED_METHODS } from "./lib/security/headers";

const PAGE_METHODS = "GET, HEAD, POST";

export function proxy(request: NextRequest) {
  const api = request.nextUrl.pathname.startsWith("/api/");
  const headers = securityHeaders({
    nonce: "",
    https: isHttps(request.url, request.headers),
    dev: process.env.NODE_ENV === "development",
    api: true,
  });
  if (!(SERVED_METHODS as readonly string[]).includes(request.method)) {
    // The route's own 405 lists its methods; here the method is unknown to every route.
    const allow = api ? "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS" : PAGE_METHODS;
    return NextResponse.json(
      { error: { code: "METHOD_NOT_ALLOWED", message: `${request.method} is not supported`, details: { allow: allow.split(", ") } } },
      { status: 405, headers: { ...headers, Allow: allow, "Cache-Control": "no-store" } },
    );
  }
  if (api) {
    const res = NextResponse.next();
    for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
    return res;
  }
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64");
  const page = securityHeaders({ nonce, https: isHttps(request.url, request.headers), dev: process.env.NODE_ENV === "development", api: false });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", page["Content-Security-Policy"]);
  const res = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [k, v] of Object.entries(page)) res.headers.set(k, v);
  return res;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};

// Answers 405 (JSON error body, Allow, security headers) for HTTP methods the application
// does not serve (TRACE, TRACK, PROPFIND, ...) before Next.js sees them. Next's request
// adapter builds a WHATWG Request for every call, and undici refuses to build one for
// TRACE, which ended as a plain-text 500 on every route; proxy.ts never ran. There is no
// earlier hook under `next start`, so next.config.js (loaded by the server process itself)
// installs this on http.Server. It only ever answers methods no route serves.
import http from "node:http";

const SERVED = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const ALLOW = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
const flag = Symbol.for("orquestra.methodGuard");

export function installMethodGuard() {
  if (globalThis[flag]) return;
  globalThis[flag] = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function guardedEmit(event, ...args) {
    if (event === "request") {
      const [req, res] = args;
      if (req && res && typeof req.method === "string" && !SERVED.has(req.method)) {
        const body = JSON.stringify({
          error: { code: "METHOD_NOT_ALLOWED", message: `${req.method} is not supported`, details: { allow: ALLOW.split(", ") } },
        });
        res.writeHead(405, {
          Allow: ALLOW,
          "Content-Type": "application/json",
          "Content-Length": Buffer.byteLength(body),
          "Cache-Control": "no-store",
          "X-Content-Type-Options": "nosniff",
          "X-Frame-Options": "DENY",
          "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
          "Referrer-Policy": "strict-origin-when-cross-origin",
        });
        res.end(body);
        return true;
      }
    }
    return emit.call(this, event, ...args);
  };
}

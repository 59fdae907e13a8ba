// Routes WebSocket upgrades of /api/console/ws to the console server (lib/console/ws-server.ts)
// inside the web server's own process, under `next start` and `next dev` alike: Next.js route
// handlers cannot upgrade and `next start` offers no hook, so next.config.js (loaded by the
// server process itself) installs this on http.Server, like the method guard. The handler is
// registered by instrumentation.ts once the app's server code is loaded; until then (or when
// it is absent) the upgrade is answered 503. Every other upgrade (dev HMR) goes to Next.js.
import http from "node:http";

const flag = Symbol.for("orquestra.consoleUpgradeHook");
export const HANDLER = Symbol.for("orquestra.consoleUpgrade");
export const CONSOLE_WS_PATH = "/api/console/ws";

export function installConsoleUpgradeHook() {
  if (globalThis[flag]) return;
  globalThis[flag] = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function consoleUpgradeEmit(event, ...args) {
    if (event === "upgrade") {
      const [req, socket, head] = args;
      const path = typeof req?.url === "string" ? req.url.split("?")[0] : "";
      if (path === CONSOLE_WS_PATH) {
        const handler = globalThis[HANDLER];
        if (typeof handler === "function") handler(req, socket, head);
        else socket.end("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        return true;
      }
    }
    return emit.call(this, event, ...args);
  };
}

// Called once per web server process (instrumentation.ts): registers the console server for
// the upgrade hook (upgrade-hook.mjs). The server and its database client are made on the
// first console connection, so a process that never serves one (a build) needs no database.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { prisma } from "../db/client";
import { createConsoleServer, type ConsoleServer } from "./ws-server";

const HANDLER = Symbol.for("orquestra.consoleUpgrade");

export function installConsoleServer(): void {
  const g = globalThis as unknown as Record<symbol, unknown>;
  if (g[HANDLER]) return;
  let server: ConsoleServer | undefined;
  g[HANDLER] = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    try {
      server ??= createConsoleServer({ db: prisma() });
    } catch {
      socket.end("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    server.handleUpgrade(req, socket, head);
  };
}

// Called once per web server process (instrumentation.ts): builds the console server on the
// process's Prisma client and registers it for the upgrade hook (upgrade-hook.mjs).
import { prisma } from "../db/client";
import { createConsoleServer } from "./ws-server";

const HANDLER = Symbol.for("orquestra.consoleUpgrade");

export function installConsoleServer(): void {
  const g = globalThis as unknown as Record<symbol, unknown>;
  if (g[HANDLER]) return;
  const server = createConsoleServer({ db: prisma() });
  g[HANDLER] = server.handleUpgrade;
}

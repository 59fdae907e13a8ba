import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan, can } from "../auth/permissions";
import { AppError, forbidden, notFound } from "../errors";
import type { consoleTicketSchema } from "./schemas";
import { consoleKindOf, consoleUnavailable, type ConsoleKind, type ConsoleUnavailable } from "./availability";
import { newTicket, TICKET_TTL_MS } from "./tickets";

/** The WebSocket path (served beside the pages by the same server: lib/console/upgrade-hook.mjs). */
export const CONSOLE_WS_PATH = "/api/console/ws";

export interface ConsoleInfo {
  machineId: string;
  name: string;
  state: string;
  kind: ConsoleKind | null;
  unavailable: ConsoleUnavailable | null;
}

async function loadMachine(ctx: Ctx, machineId: string) {
  const m = await ctx.db.machine.findUnique({
    where: { id: machineId },
    select: { id: true, name: true, state: true, projectId: true, externalRef: true, provider: { select: { kind: true, endpoint: true } } },
  });
  if (!m || !can(ctx.actor, "machine.read", m.projectId)) throw notFound("Machine");
  assertCan(ctx.actor, "machine.console", m.projectId);
  return m;
}

/** The console page: the machine, its kind of console, and why there is none when there is none. */
export async function getConsoleInfo(ctx: Ctx, input: z.infer<typeof consoleTicketSchema>): Promise<ConsoleInfo> {
  const m = await loadMachine(ctx, input.machineId);
  const providerKind = m.provider?.kind ?? null;
  const providerEndpoint = m.provider?.endpoint ?? null;
  return { machineId: m.id, name: m.name, state: m.state, kind: consoleKindOf(providerKind, providerEndpoint), unavailable: consoleUnavailable({ state: m.state, providerKind, providerEndpoint, externalRef: m.externalRef }) };
}

/**
 * A one-time ticket for the console WebSocket of a running machine, valid 30 s, bound to the
 * actor, the browser session and the machine. Expired tickets are purged on the way.
 */
export async function issueConsoleTicket(ctx: Ctx, input: z.infer<typeof consoleTicketSchema>): Promise<{ ticket: string; path: string; kind: ConsoleKind; expiresAt: string }> {
  if (!ctx.sessionId) throw forbidden("The console needs a browser session");
  const m = await loadMachine(ctx, input.machineId);
  const providerKind = m.provider?.kind ?? null;
  const why = consoleUnavailable({ state: m.state, providerKind, providerEndpoint: m.provider?.endpoint ?? null, externalRef: m.externalRef });
  if (why) throw new AppError("CONFLICT", why === "notRunning" ? "The machine is not running" : "This machine's provider has no console", { reason: why });
  const now = ctx.now();
  const { token, tokenHash } = newTicket();
  const expiresAt = new Date(now.getTime() + TICKET_TTL_MS);
  await ctx.db.$transaction(async (tx) => {
    await tx.consoleTicket.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - 60 * 60_000) } } });
    await tx.consoleTicket.create({ data: { tokenHash, userId: ctx.actor.id, sessionId: ctx.sessionId!, machineId: m.id, expiresAt } });
  });
  return { ticket: token, path: CONSOLE_WS_PATH, kind: consoleKindOf(providerKind, m.provider?.endpoint)!, expiresAt: expiresAt.toISOString() };
}

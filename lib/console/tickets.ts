// Console tickets: one-time, short-lived proofs that a signed-in user may open the console of
// one machine. The console page gets one (issue-ticket.ts); the console WebSocket
// (ws-server.ts) presents it. Only the SHA-256 hash is stored, bound to the user, the browser
// session and the machine; consuming it is one conditional UPDATE, so a ticket works once.
// No "server-only" here: the WebSocket server is not a React server module.
import { createHash, randomBytes } from "node:crypto";
import type { Db, Tx } from "../db/client";

/** How long a ticket may wait for its WebSocket. */
export const TICKET_TTL_MS = 30_000;

export const hashTicket = (token: string): string => createHash("sha256").update(token, "utf8").digest("base64url");

/** A new random ticket (256 bits, URL-safe) and the hash to store. */
export function newTicket(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashTicket(token) };
}

export interface ConsumedTicket {
  userId: string;
  sessionId: string;
  machineId: string;
}

/**
 * Uses the ticket: answers who it was issued to, or null when it is unknown, expired or was
 * already used. Atomic: of two connections presenting the same ticket, one wins.
 */
export async function consumeTicket(db: Db | Tx, token: unknown, now: Date): Promise<ConsumedTicket | null> {
  if (typeof token !== "string" || token.length < 20 || token.length > 100) return null;
  const tokenHash = hashTicket(token);
  const used = await db.consoleTicket.updateMany({ where: { tokenHash, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
  if (used.count !== 1) return null;
  return db.consoleTicket.findUnique({ where: { tokenHash }, select: { userId: true, sessionId: true, machineId: true } });
}

// Idempotency-Key for POST (the IETF httpapi draft, as Stripe does it): the first successful
// response to a key is stored with a hash of the request and replayed for retries; the same
// key with a different request is a CONFLICT, and so is a retry while the first request is
// still running. Failed requests leave no record (the verbs write nothing when they fail), so
// the client may retry them with the same key. Keys are per actor and kept 24 hours.
//
// The record is written after the verb's own transaction commits; a process killed between
// the two leaves the key "in progress" until it expires, which answers CONFLICT rather than
// doing the change twice.
import "server-only";
import { createHash } from "node:crypto";
import type { Db, Prisma } from "../db/client";
import { AppError, conflict } from "../errors";
import { isUniqueViolation } from "../offerings/prisma-errors";

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;

export type Claim = { kind: "new"; recordId: string } | { kind: "replay"; status: number; body: unknown };

export function requestHash(method: string, route: string, rawBody: string): string {
  return createHash("sha256").update(`${method}\n${route}\n${rawBody}`, "utf8").digest("hex");
}

export function checkKey(key: string): void {
  if (!KEY_SHAPE.test(key)) {
    throw new AppError("VALIDATION", "The Idempotency-Key header must be 1 to 255 visible ASCII characters", {
      fields: { "Idempotency-Key": ["Use 1 to 255 visible ASCII characters, for example a UUID."] },
    });
  }
}



/** Claims `key` for this request, or answers what an earlier request with the key got. */
export async function claimKey(db: Db, args: { actorId: string; key: string; route: string; hash: string; now: Date }): Promise<Claim> {
  await db.apiIdempotency.deleteMany({ where: { actorId: args.actorId, createdAt: { lt: new Date(args.now.getTime() - IDEMPOTENCY_TTL_MS) } } });
  try {
    const row = await db.apiIdempotency.create({
      data: { actorId: args.actorId, key: args.key, route: args.route, requestHash: args.hash, createdAt: args.now },
      select: { id: true },
    });
    return { kind: "new", recordId: row.id };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  const existing = await db.apiIdempotency.findUnique({ where: { actorId_key: { actorId: args.actorId, key: args.key } } });
  if (!existing) {
    // Released by a failed first attempt between our insert and this read: the caller may retry.
    throw conflict("A request with this Idempotency-Key just finished without a result; send it again", { reason: "IDEMPOTENCY_RETRY" });
  }
  if (existing.requestHash !== args.hash) {
    throw conflict("This Idempotency-Key was already used for a different request", { reason: "IDEMPOTENCY_KEY_REUSED", route: existing.route });
  }
  if (existing.statusCode === null) {
    throw conflict("A request with this Idempotency-Key is still being processed", { reason: "IDEMPOTENCY_IN_PROGRESS" });
  }
  return { kind: "replay", status: existing.statusCode, body: existing.body };
}

export async function completeKey(db: Db, recordId: string, status: number, body: unknown, now: Date): Promise<void> {
  await db.apiIdempotency.update({
    where: { id: recordId },
    data: { statusCode: status, body: body as Prisma.InputJsonValue, completedAt: now },
  });
}

export async function releaseKey(db: Db, recordId: string): Promise<void> {
  await db.apiIdempotency.deleteMany({ where: { id: recordId, statusCode: null } });
}

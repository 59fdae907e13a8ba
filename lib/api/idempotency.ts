// Idempotency-Key for POST (the IETF httpapi draft, as Stripe does it): the first successful
// response to a key is stored with a hash of the request and replayed for retries; the same
// key with a different request is a CONFLICT. Keys are per actor and kept 24 hours.
//
// The key's record, the verb's changes and the stored response commit in ONE transaction:
// the record is inserted first (INSERT ... ON CONFLICT DO NOTHING), the verb runs on the
// same transaction (its own $transaction calls become savepoints), the response is written,
// and all of it commits together. A second request with the key waits on the first one's
// uncommitted row, then replays its response (or, if the first failed or its process died,
// finds no row and runs). So a crash at any point leaves either the change and its response
// or neither: a retry can never execute the change twice, and never stays stuck "in progress".
// Failed requests roll back and leave no record, so the client may retry them with the key.
import "server-only";
import { createHash } from "node:crypto";
import { Prisma, type Db, type Tx } from "../db/client";
import { AppError, conflict } from "../errors";

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** Printable ASCII without spaces: what the header may carry (a UUID fits). */
export const IDEMPOTENCY_KEY_PATTERN = "^[\\x21-\\x7E]{1,255}$";
const KEY_SHAPE = new RegExp(IDEMPOTENCY_KEY_PATTERN);
/** How long the verb may run inside the keyed transaction. */
const TX_TIMEOUT_MS = 120_000;

export function requestHash(method: string, route: string, rawBody: string): string {
  return createHash("sha256").update(`${method}\n${route}\n${rawBody}`, "utf8").digest("hex");
}

export function checkKey(key: string): void {
  if (!KEY_SHAPE.test(key)) {
    throw new AppError("VALIDATION", "The Idempotency-Key header must be 1 to 255 visible ASCII characters", {
      fields: { "Idempotency-Key": ["Use 1 to 255 visible ASCII characters (no spaces), for example a UUID."] },
    });
  }
}

/**
 * A client for code running inside `tx` that may itself call `$transaction`: nested calls
 * run on the same transaction behind a SAVEPOINT, so an inner failure rolls back only its
 * own part, exactly as a separate transaction would have, and commits with the outer one.
 */
export function nestedClient(tx: Tx): Db {
  let n = 0;
  const self: Db = new Proxy(tx as unknown as Db, {
    get(target, prop) {
      if (prop === "$transaction") {
        return async (arg: unknown) => {
          if (Array.isArray(arg)) {
            const out: unknown[] = [];
            for (const p of arg) out.push(await p);
            return out;
          }
          const sp = `orq_nested_${++n}`;
          await tx.$executeRawUnsafe(`SAVEPOINT ${sp}`);
          try {
            const r = await (arg as (c: Db) => Promise<unknown>)(self);
            await tx.$executeRawUnsafe(`RELEASE SAVEPOINT ${sp}`);
            return r;
          } catch (err) {
            await tx.$executeRawUnsafe(`ROLLBACK TO SAVEPOINT ${sp}`).catch(() => {});
            throw err;
          }
        };
      }
      if (prop === "$connect" || prop === "$disconnect") return async () => {};
      const v = Reflect.get(target, prop);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
  return self;
}

export interface IdempotentRun {
  actorId: string;
  key: string;
  route: string;
  hash: string;
  now: Date;
  status: number;
  run: (db: Db) => Promise<unknown>;
}

export async function runIdempotent(db: Db, a: IdempotentRun): Promise<{ replayed: boolean; status: number; body: unknown }> {
  await db.apiIdempotency.deleteMany({ where: { actorId: a.actorId, createdAt: { lt: new Date(a.now.getTime() - IDEMPOTENCY_TTL_MS) } } });
  return db.$transaction(
    async (tx) => {
      const inserted = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO "ApiIdempotency" ("id", "actorId", "key", "route", "requestHash", "createdAt")
        VALUES (gen_random_uuid(), ${a.actorId}::uuid, ${a.key}, ${a.route}, ${a.hash}, ${a.now})
        ON CONFLICT ("actorId", "key") DO NOTHING
        RETURNING "id"`;
      if (inserted.length === 0) {
        // Committed by an earlier request (we waited for it if it was still running).
        const existing = await tx.apiIdempotency.findUnique({ where: { actorId_key: { actorId: a.actorId, key: a.key } } });
        if (!existing || existing.statusCode === null) {
          throw conflict("A request with this Idempotency-Key just finished without a result; send it again", { reason: "IDEMPOTENCY_RETRY" });
        }
        if (existing.requestHash !== a.hash) {
          throw conflict("This Idempotency-Key was already used for a different request", { reason: "IDEMPOTENCY_KEY_REUSED", route: existing.route });
        }
        return { replayed: true, status: existing.statusCode, body: existing.body };
      }
      const body = await a.run(nestedClient(tx));
      await tx.apiIdempotency.update({
        where: { id: inserted[0].id },
        data: { statusCode: a.status, body: body === null || body === undefined ? Prisma.DbNull : (body as Prisma.InputJsonValue), completedAt: new Date() },
      });
      return { replayed: false, status: a.status, body };
    },
    { timeout: TX_TIMEOUT_MS, maxWait: 10_000 },
  );
}

// The one wrapper every /api/v1 route handler goes through:
//   authenticate (Bearer API token, else the session cookie) -> load the actor from the
//   database (a disabled user's token stops working) -> read the body (JSON only, 64 KiB at
//   most) -> Idempotency-Key (POST) -> parse with the verb's zod schema -> call ONE verb ->
//   map errors once to { error: { code, message, details } } with lib/errors.ts httpStatus.
// Unexpected errors answer 500 with a correlation id only; the details go to the log.
import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Ctx } from "../context";
import { prisma, type Db } from "../db/client";
import { loadActor } from "../auth/load-actor";
import type { Actor } from "../auth/permissions";
import { AppError, httpStatus, toErrorBody, zodFieldErrors, type ErrorBody } from "../errors";
import { logger } from "../log/logger";
import { authenticateApiToken } from "../apitokens/authenticate-api-token";
import { claimKey, checkKey, completeKey, releaseKey, requestHash } from "./idempotency";
import { englishMessage, translateFieldErrors } from "./messages";
import type { ApiOperation, RequestParts } from "./operation";

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Where the handler gets its database, session and clock. Production uses the process-wide
 * Prisma client and Auth.js; integration tests point `db` at their own database.
 */
export const apiRuntime: {
  db: () => Db;
  sessionUserId: () => Promise<string | null>;
  now: () => Date;
} = {
  db: () => prisma(),
  sessionUserId: async () => {
    // Loaded lazily: token-authenticated calls never touch Auth.js.
    const { auth } = await import("../auth/auth");
    const session = await auth();
    return session?.user?.id ?? null;
  },
  now: () => new Date(),
};

type RouteContext = { params: Promise<Record<string, string | string[]>> };

const uuid = z.uuid();
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

const unauthenticated = (message: string) => new AppError("UNAUTHENTICATED", message);
const payloadTooLarge = () => new AppError("PAYLOAD_TOO_LARGE", `The request body exceeds ${MAX_BODY_BYTES / 1024} KiB`, { limitBytes: MAX_BODY_BYTES });
const badBody = (message: string) => new AppError("VALIDATION", message, { fields: { _body: [message] } });

async function authenticate(req: Request, db: Db, now: Date): Promise<{ actor: Actor; via: "token" | "session" }> {
  const header = req.headers.get("authorization");
  if (header !== null) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw unauthenticated("Use the header Authorization: Bearer <token>");
    const token = await authenticateApiToken(db, m[1], now);
    if (!token) throw unauthenticated("The API token is invalid, expired or revoked");
    const actor = await loadActor(db, token.userId);
    if (!actor) throw unauthenticated("The API token's user is disabled");
    return { actor, via: "token" };
  }
  const userId = await apiRuntime.sessionUserId();
  const actor = userId ? await loadActor(db, userId) : null;
  if (!actor) throw unauthenticated("Sign in, or send an API token: Authorization: Bearer <token>");
  return { actor, via: "session" };
}

/**
 * Cookies ride along on cross-site requests; a changing call authenticated by the session
 * must come from our own pages. (Token calls carry their credential explicitly.)
 */
function assertSameOrigin(req: Request): void {
  if (req.headers.get("sec-fetch-site") === "cross-site") throw new AppError("FORBIDDEN", "Cross-site requests need an API token");
  const origin = req.headers.get("origin");
  if (origin && origin !== "null") {
    const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host") ?? new URL(req.url).host;
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      throw new AppError("FORBIDDEN", "Cross-site requests need an API token");
    }
    if (originHost !== host) throw new AppError("FORBIDDEN", "Cross-site requests need an API token");
  } else if (origin === "null") {
    throw new AppError("FORBIDDEN", "Cross-site requests need an API token");
  }
}

async function readBody(req: Request): Promise<string> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > MAX_BODY_BYTES) throw payloadTooLarge();
  if (!req.body) return "";
  // Content-Length may be absent (chunked) or wrong: count what actually arrives.
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw payloadTooLarge();
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw badBody("The request body is not valid UTF-8 text");
  }
}

function parseJsonBody(req: Request, raw: string): Record<string, unknown> {
  if (raw.trim() === "") return {};
  if (!JSON_TYPE.test(req.headers.get("content-type") ?? "")) throw badBody("Send the body as JSON with Content-Type: application/json");
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw badBody("The request body is not valid JSON");
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw badBody("The request body must be a JSON object");
  return value as Record<string, unknown>;
}

async function pathParams(op: ApiOperation, routeCtx?: RouteContext): Promise<Record<string, string>> {
  const raw = routeCtx ? await routeCtx.params : {};
  const out: Record<string, string> = {};
  for (const name of op.pathParams ?? []) {
    const v = raw[name];
    // A malformed id names nothing that exists.
    if (typeof v !== "string" || !uuid.safeParse(v).success) throw new AppError("NOT_FOUND", "Not found");
    out[name] = v;
  }
  return out;
}

/** The wire form of an error: English text, message keys kept in details. */
export function apiErrorBody(err: unknown, correlationId: string, namespace?: string): ErrorBody {
  const base = toErrorBody(err, correlationId);
  if (base.code === "INTERNAL") return base;
  const details = base.details ? { ...base.details } : undefined;
  const values = { ...(details ?? {}), names: (details as { taken?: unknown } | undefined)?.taken };
  if (details?.fields && typeof details.fields === "object") {
    const t = translateFieldErrors(details.fields as Record<string, string[]>, namespace, values);
    details.fields = t.fields;
    if (t.fieldKeys) details.fieldKeys = t.fieldKeys;
  }
  return { ...base, message: englishMessage(base.message, namespace, values), ...(details ? { details } : {}) };
}

const toJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v ?? null, (_k, x) => (typeof x === "bigint" ? x.toString() : x)));

/** Wraps an operation as a Next.js route handler: `export const POST = apiHandler(op)`. */
export function apiHandler<S extends z.ZodType, T>(op: ApiOperation<S, T>) {
  return async function handler(req: Request, routeCtx?: RouteContext): Promise<Response> {
    const correlationId = randomUUID();
    const headers: Record<string, string> = { "Cache-Control": "no-store", "X-Correlation-Id": correlationId };
    const db = apiRuntime.db();
    let claimed: string | null = null;
    try {
      const now = apiRuntime.now();
      const { actor, via } = await authenticate(req, db, now);
      if (op.method !== "GET" && via === "session") assertSameOrigin(req);
      const params = await pathParams(op as ApiOperation, routeCtx);
      const url = new URL(req.url);
      const query = Object.fromEntries(url.searchParams);
      const raw = op.method === "POST" ? await readBody(req) : "";
      const body = op.method === "POST" ? parseJsonBody(req, raw) : {};
      const parts: RequestParts = { params, query, body };
      const prepared = op.prepare ? op.prepare(parts) : { ...(op.method === "GET" ? query : body), ...params };
      const parsed = op.input.safeParse(prepared);
      if (!parsed.success) throw new AppError("VALIDATION", "Some fields are invalid", { fields: zodFieldErrors(parsed.error) });

      const key = op.method === "POST" ? req.headers.get("idempotency-key") : null;
      if (key !== null) {
        checkKey(key);
        const claim = await claimKey(db, { actorId: actor.id, key, route: `${op.method} ${url.pathname}`, hash: requestHash(op.method, url.pathname, raw), now });
        if (claim.kind === "replay") {
          return Response.json(claim.body, { status: claim.status, headers: { ...headers, "Idempotent-Replayed": "true" } });
        }
        claimed = claim.recordId;
      }

      const ctx: Ctx = { actor, db, correlationId, now: apiRuntime.now };
      const result = await op.verb(ctx, parsed.data);
      if (op.produces) {
        const file = (op.present ? op.present(result) : result) as { fileName: string; body: string };
        const disposition = `attachment; filename="${file.fileName.replace(/[^\w.-]/g, "_")}"`;
        return new Response(file.body, { status: 200, headers: { ...headers, "Content-Type": `${op.produces}; charset=utf-8`, "Content-Disposition": disposition } });
      }
      const payload = toJson(op.present ? op.present(result) : result);
      const status = op.status ?? 200;
      if (claimed) {
        await completeKey(db, claimed, status, payload, apiRuntime.now());
        claimed = null;
      }
      return Response.json(payload, { status, headers });
    } catch (err) {
      if (claimed) await releaseKey(db, claimed).catch((e) => logger.error({ err: e, correlationId }, "could not release an idempotency key"));
      if (!(err instanceof AppError)) logger.error({ err, correlationId, operation: op.operationId }, "API request failed");
      const body = apiErrorBody(err, correlationId, op.messages);
      if (body.code === "UNAUTHENTICATED") headers["WWW-Authenticate"] = 'Bearer realm="orquestra"';
      return Response.json({ error: body }, { status: httpStatus[body.code], headers });
    }
  };
}

// The one wrapper every /api/v1 route handler goes through:
//   authenticate (Bearer API token, else the session cookie) -> load the actor from the
//   database (a disabled, locked or deleted user's token and sessions stop working) -> rate
//   limit per token (per user for cookie calls) -> read the body (JSON only, 64 KiB at most)
//   -> validate path, query and body -> call ONE verb -> map errors once to
//   { error: { code, message, details } } with lib/errors.ts httpStatus.
// With an Idempotency-Key (POST), the key's record, the verb's changes and the stored
// response commit in ONE transaction (lib/api/idempotency.ts): a crash anywhere leaves
// either everything or nothing, so a retry can never run the change twice.
// Unexpected errors answer 500 with a correlation id only; the details go to the log.
import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Ctx } from "../context";
import { prisma, type Db } from "../db/client";
import { sessionActor } from "../auth/sessions";
import type { Actor } from "../auth/permissions";
import { AppError, httpStatus, toErrorBody, zodFieldErrors, type ErrorBody } from "../errors";
import { env } from "../env";
import { logger } from "../log/logger";
import { authenticateApiCall, authenticateApiToken } from "../apitokens/authenticate-api-token";
import { hitLimit, type LimitResult } from "../security/rate-limit";
import { checkKey, runIdempotent, requestHash } from "./idempotency";
import { englishMessage, translateFieldErrors } from "./messages";
import type { ApiOperation, HttpMethod, RequestParts } from "./operation";

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Where the handler gets its database, session, clock and limits. Production uses the
 * process-wide Prisma client, Auth.js and the environment; integration tests replace them.
 */
export const apiRuntime: {
  db: () => Db;
  /** The Session row id named by the request's cookie, or null. */
  sessionId: () => Promise<string | null>;
  now: () => Date;
  rateLimit: () => { limit: number; windowMs: number };
} = {
  db: () => prisma(),
  sessionId: async () => {
    // Loaded lazily: token-authenticated calls never touch Auth.js.
    const { auth } = await import("../auth/auth");
    const session = await auth();
    const sid = (session as { sessionId?: unknown } | null)?.sessionId;
    return typeof sid === "string" ? sid : null;
  },
  now: () => new Date(),
  rateLimit: () => ({ limit: env().ORQ_API_RATE_LIMIT, windowMs: env().ORQ_API_RATE_WINDOW_SECONDS * 1000 }),
};

type RouteContext = { params: Promise<Record<string, string | string[]>> };

const uuid = z.uuid();
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const WITH_BODY: ReadonlySet<HttpMethod> = new Set(["POST", "PUT", "PATCH"]);

const unauthenticated = (message: string) => new AppError("UNAUTHENTICATED", message);
const payloadTooLarge = () => new AppError("PAYLOAD_TOO_LARGE", `The request body exceeds ${MAX_BODY_BYTES / 1024} KiB`, { limitBytes: MAX_BODY_BYTES });
const badBody = (message: string) => new AppError("VALIDATION", message, { fields: { _body: [message] } });

interface Authenticated {
  actor: Actor;
  via: "token" | "session";
  /** Rate-limit bucket: the token, or the user for cookie calls. */
  bucket: string;
  sessionId: string | null;
  /** The call's hit on its rate-limit bucket. */
  limit: LimitResult;
}

/**
 * Who calls, and their hit on the rate limit. A token call is ONE statement (token, user,
 * memberships, group grants, lastUsedAt and the rate-limit hit together:
 * authenticateApiCall); a cookie call reads the session with its user, then counts the hit.
 */
async function authenticate(req: Request, db: Db, now: Date): Promise<Authenticated> {
  const header = req.headers.get("authorization");
  if (header !== null) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw unauthenticated("Use the header Authorization: Bearer <token>");
    const call = await authenticateApiCall(db, m[1], now, apiRuntime.rateLimit());
    if (!call) {
      // Rare path (a refused token): say which of the two reasons it is.
      const token = await authenticateApiToken(db, m[1], now);
      if (!token) throw unauthenticated("The API token is invalid, expired or revoked");
      throw unauthenticated("The API token's user is disabled or locked");
    }
    return { actor: call.actor, via: "token", bucket: `api:token:${call.tokenId}`, sessionId: null, limit: call.limit };
  }
  const sid = await apiRuntime.sessionId();
  const actor = sid ? await sessionActor(db, sid, now) : null;
  if (!actor) throw unauthenticated("Sign in, or send an API token: Authorization: Bearer <token>");
  const bucket = `api:user:${actor.id}`;
  const limit = await hitLimit(db, { key: bucket, ...apiRuntime.rateLimit() }, now);
  return { actor, via: "session", bucket, sessionId: sid, limit };
}

/**
 * Cookies ride along on cross-site requests; a changing call authenticated by the session
 * must come from our own pages. (Token calls carry their credential explicitly.)
 */
function assertSameOrigin(req: Request): void {
  const refuse = () => new AppError("FORBIDDEN", "Cross-site requests need an API token");
  if (req.headers.get("sec-fetch-site") === "cross-site") throw refuse();
  const origin = req.headers.get("origin");
  if (origin === null) return;
  if (origin === "null") throw refuse();
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host") ?? new URL(req.url).host;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw refuse();
  }
  if (originHost !== host) throw refuse();
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
  for (const name of Object.keys(op.pathParams ?? {})) {
    const v = raw[name];
    // A malformed id names nothing that exists.
    if (typeof v !== "string" || !uuid.safeParse(v).success) throw new AppError("NOT_FOUND", "Not found");
    out[name] = v.toLowerCase();
  }
  return out;
}

/** The query string as an object; a parameter given twice is refused rather than guessed. */
function queryObject(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  const twice: Record<string, string[]> = {};
  for (const [k, v] of url.searchParams) {
    if (k in out) twice[k] = ["Give this parameter once."];
    out[k] = v;
  }
  if (Object.keys(twice).length) throw new AppError("VALIDATION", "Some fields are invalid", { fields: twice });
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

/**
 * The answer as documented: parsed with the operation's response schema, which drops keys
 * it does not list (nothing undocumented leaves the server). A mismatch is a server bug:
 * an internal error, never a VALIDATION answer to the client.
 */
function shapeResponse(op: ApiOperation, payload: unknown): unknown {
  if (!op.response) return null;
  const r = op.response.safeParse(payload);
  if (!r.success) throw new Error(`${op.operationId}: the response does not match its schema: ${JSON.stringify(r.error.issues.slice(0, 5))}`);
  return r.data;
}

function rateHeaders(r: LimitResult): Record<string, string> {
  return {
    "RateLimit-Limit": String(r.limit),
    "RateLimit-Remaining": String(r.remaining),
    "RateLimit-Reset": String(r.retryAfterSeconds),
  };
}

export const BASE_HEADERS = { "Cache-Control": "no-store" } as const;

/** An error answer in the API's shape. */
export function errorResponse(code: ErrorBody["code"], message: string, extraHeaders: Record<string, string> = {}, details?: Record<string, unknown>): Response {
  return Response.json(
    { error: { code, message, ...(details ? { details } : {}) } },
    { status: httpStatus[code], headers: { ...BASE_HEADERS, ...extraHeaders } },
  );
}

/** Wraps an operation as a Next.js route handler. */
export function apiHandler<S extends z.ZodType, T>(op: ApiOperation<S, T>) {
  return async function handler(req: Request, routeCtx?: RouteContext): Promise<Response> {
    const correlationId = randomUUID();
    const headers: Record<string, string> = { ...BASE_HEADERS, "X-Correlation-Id": correlationId };
    const db = apiRuntime.db();
    try {
      const now = apiRuntime.now();
      const who = await authenticate(req, db, now);
      const limit = who.limit;
      Object.assign(headers, rateHeaders(limit));
      if (!limit.allowed) {
        headers["Retry-After"] = String(limit.retryAfterSeconds);
        throw new AppError("RATE_LIMITED", `Too many requests: at most ${limit.limit} per ${Math.round(apiRuntime.rateLimit().windowMs / 1000)} s; retry after ${limit.retryAfterSeconds} s`, {
          retryAfterSeconds: limit.retryAfterSeconds,
        });
      }
      if (op.method !== "GET" && who.via === "session") assertSameOrigin(req);
      const params = await pathParams(op as ApiOperation, routeCtx);
      const url = new URL(req.url);
      const rawQuery = queryObject(url);
      let query: Record<string, unknown> = rawQuery;
      if (op.query) {
        const q = op.query.safeParse(rawQuery);
        if (!q.success) throw new AppError("VALIDATION", "Some fields are invalid", { fields: zodFieldErrors(q.error) });
        query = q.data as Record<string, unknown>;
      } else if (Object.keys(rawQuery).length) {
        throw new AppError("VALIDATION", "Some fields are invalid", {
          fields: Object.fromEntries(Object.keys(rawQuery).map((k) => [k, ["This operation takes no query parameters."]])),
        });
      }
      const raw = WITH_BODY.has(op.method) ? await readBody(req) : "";
      const body = WITH_BODY.has(op.method) ? parseJsonBody(req, raw) : {};
      const parts: RequestParts = { params, query, body };
      const prepared = op.prepare ? op.prepare(parts) : { ...(WITH_BODY.has(op.method) ? body : query), ...params };
      const parsed = op.input.safeParse(prepared);
      if (!parsed.success) throw new AppError("VALIDATION", "Some fields are invalid", { fields: zodFieldErrors(parsed.error) });

      const status = op.status ?? 200;
      const run = async (dbForVerb: Db) => {
        const ctx: Ctx = { actor: who.actor, db: dbForVerb, correlationId, now: apiRuntime.now, sessionId: who.sessionId };
        const result = await op.verb(ctx, parsed.data);
        return shapeResponse(op as ApiOperation, toJson(op.present ? op.present(result) : result));
      };

      if (op.produces) {
        const ctx: Ctx = { actor: who.actor, db, correlationId, now: apiRuntime.now, sessionId: who.sessionId };
        const result = await op.verb(ctx, parsed.data);
        const file = (op.present ? op.present(result) : result) as { fileName: string; body: string };
        const disposition = `attachment; filename="${file.fileName.replace(/[^\w.-]/g, "_")}"`;
        return new Response(file.body, { status: 200, headers: { ...headers, "Content-Type": `${op.produces}; charset=utf-8`, "Content-Disposition": disposition } });
      }

      const key = op.method === "POST" ? req.headers.get("idempotency-key") : null;
      if (key !== null) {
        checkKey(key);
        const outcome = await runIdempotent(db, {
          actorId: who.actor.id,
          key,
          route: `${op.method} ${url.pathname}`,
          hash: requestHash(op.method, url.pathname, raw),
          now,
          status,
          run,
        });
        if (outcome.replayed) headers["Idempotent-Replayed"] = "true";
        return outcome.status === 204 ? new Response(null, { status: 204, headers }) : Response.json(outcome.body, { status: outcome.status, headers });
      }
      const payload = await run(db);
      return status === 204 ? new Response(null, { status, headers }) : Response.json(payload, { status, headers });
    } catch (err) {
      if (!(err instanceof AppError)) logger.error({ err, correlationId, operation: op.operationId }, "API request failed");
      const body = apiErrorBody(err, correlationId, op.messages);
      if (body.code === "UNAUTHENTICATED") headers["WWW-Authenticate"] = 'Bearer realm="orquestra"';
      return Response.json({ error: body }, { status: httpStatus[body.code], headers });
    }
  };
}

const ALL_METHODS: readonly HttpMethod[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** 405 for a method the resource does not support, with Allow and the JSON error body. */
export function methodNotAllowed(allow: readonly string[]) {
  const list = allow.join(", ");
  return async function handler(req: Request): Promise<Response> {
    return errorResponse("METHOD_NOT_ALLOWED", `${req.method} is not supported here; use ${list}`, { Allow: list }, { allow: [...allow] });
  };
}

type RouteHandler = (req: Request, ctx?: RouteContext) => Promise<Response>;

/**
 * The handlers of one route file: the given operations, 405 (with Allow) for every other
 * method, and OPTIONS answering the Allow list. Use as
 * `export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({ GET: listOp });`
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each operation has its own input and result types
export function apiRoute(ops: Partial<Record<HttpMethod, ApiOperation<any, any>>>) {
  const supported = ALL_METHODS.filter((m) => ops[m]);
  const allow = [...supported.flatMap((m) => (m === "GET" ? ["GET", "HEAD"] : [m])), "OPTIONS"];
  const refuse = methodNotAllowed(allow);
  const out = {} as Record<HttpMethod | "HEAD" | "OPTIONS", RouteHandler>;
  for (const m of ALL_METHODS) out[m] = ops[m] ? (apiHandler(ops[m]) as RouteHandler) : refuse;
  // HEAD: the GET handler (the server drops the body); refused where there is no GET.
  out.HEAD = ops.GET ? out.GET : refuse;
  out.OPTIONS = async () => new Response(null, { status: 204, headers: { ...BASE_HEADERS, Allow: allow.join(", ") } });
  return out;
}

type PlainHandler = (req: Request, ctx: never) => Promise<Response> | Response;

/**
 * For route handlers outside /api/v1 (polling, health, Auth.js): the given handlers, and
 * 405 with Allow and the JSON error body for every other method.
 */
export function onlyMethods(handlers: Partial<Record<HttpMethod, PlainHandler>>) {
  const supported = ALL_METHODS.filter((m) => handlers[m]);
  const allow = [...supported.flatMap((m) => (m === "GET" ? ["GET", "HEAD"] : [m])), "OPTIONS"];
  const refuse = methodNotAllowed(allow);
  const out = {} as Record<HttpMethod | "HEAD" | "OPTIONS", PlainHandler>;
  for (const m of ALL_METHODS) out[m] = handlers[m] ?? refuse;
  out.HEAD = handlers.GET ?? refuse;
  out.OPTIONS = async () => new Response(null, { status: 204, headers: { ...BASE_HEADERS, Allow: allow.join(", ") } });
  return out;
}

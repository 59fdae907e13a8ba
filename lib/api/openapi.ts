// The OpenAPI 3.1 document of /api/v1, generated from the same zod schemas the handlers parse
// with (lib/api/operations.ts). We use zod 4's native z.toJSONSchema rather than
// @asteasolutions/zod-to-openapi or zod-openapi: OpenAPI 3.1 schemas ARE JSON Schema
// 2020-12, which z.toJSONSchema emits directly, so no extra dependency, no schema
// re-declaration with .openapi() calls, and the service schemas stay plain zod. Input
// schemas are rendered as the client sends them (io: "input": defaults optional, coercions
// as their input type), responses as the server sends them (io: "output").
//
// Every rule the server enforces is stated: the schemas carry patterns, formats and bounds;
// the shared parameters and headers (Idempotency-Key, rate limits) carry theirs. Every
// request and response has an example (the operation's own, or one derived from its schema);
// a test validates each example against its schema.
import "server-only";
import { z } from "zod";
import { httpStatus, type ErrorCode } from "../errors";
import { MAX_BODY_BYTES } from "./handler";
import { IDEMPOTENCY_KEY_PATTERN } from "./idempotency";
import { API_OPERATIONS } from "./operations";
import { errorResponse } from "./responses";
import type { ApiOperation } from "./operation";
import { exampleFor } from "./examples";

type JsonSchema = Record<string, unknown>;

export const API_VERSION = "1.1.0";

const ERROR_TEXT: Record<ErrorCode, string> = {
  VALIDATION: "The input is invalid: `details.fields` says which field (or query parameter) and why.",
  UNAUTHENTICATED: "No valid API token or session (or the user is disabled or locked).",
  FORBIDDEN: "Your role does not allow this (or a cookie-authenticated change came from another site).",
  NOT_FOUND: "No such resource, or not one you can see; a malformed id in the path answers this too.",
  METHOD_NOT_ALLOWED: "The path does not support this method; the `Allow` header lists those it does.",
  CONFLICT: "The resource changed or is in a state that does not allow this; or the Idempotency-Key was used for another request.",
  QUOTA_EXCEEDED: "The project's quota would be exceeded.",
  NO_CAPACITY: "No provider has room for this.",
  RATE_LIMITED: "Too many requests for this token: wait `Retry-After` seconds.",
  PAYLOAD_TOO_LARGE: `The body exceeds ${MAX_BODY_BYTES / 1024} KiB.`,
  DRIVER_ERROR: "The hypervisor or cloud refused or failed.",
  INTERNAL: "Unexpected error: quote the correlation id.",
};

/** Codes every operation can answer (VALIDATION: an unknown or repeated query parameter, a bad header). */
const ALWAYS: readonly ErrorCode[] = ["VALIDATION", "UNAUTHENTICATED", "RATE_LIMITED", "INTERNAL"];

/** Converts a schema, moving named subschemas ($defs) into components.schemas. */
function toSchema(schema: z.ZodType, io: "input" | "output", components: Record<string, JsonSchema>): JsonSchema {
  const json = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as JsonSchema;
  delete json.$schema;
  const defs = (json.$defs ?? {}) as Record<string, JsonSchema>;
  delete json.$defs;
  for (const [name, def] of Object.entries(defs)) components[name] ??= rewriteRefs(def) as JsonSchema;
  return rewriteRefs(json) as JsonSchema;
}

/** Points $defs references at components.schemas, and drops the safe-integer bounds z.int() adds (noise for readers). */
function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if ((k === "minimum" && v === Number.MIN_SAFE_INTEGER) || (k === "maximum" && v === Number.MAX_SAFE_INTEGER)) continue;
    out[k] = k === "$ref" && typeof v === "string" ? v.replace(/^#\/\$defs\//, "#/components/schemas/") : rewriteRefs(v);
  }
  return out;
}

const UUID_EXAMPLE = "3f6c1c1e-8a51-4c3e-9d6b-0c5a7b2e9f10";
const WITH_BODY = new Set(["POST", "PUT", "PATCH"]);

function parameters(op: ApiOperation, components: Record<string, JsonSchema>) {
  const params: JsonSchema[] = Object.entries(op.pathParams ?? {}).map(([name, description]) => ({
    name,
    in: "path",
    required: true,
    description: `${description} A malformed id answers 404.`,
    schema: { type: "string", format: "uuid" },
    example: UUID_EXAMPLE,
  }));
  if (op.query) {
    const json = toSchema(op.query, "input", components);
    const props = (json.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((json.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries(props)) {
      const { description, ...rest } = schema;
      params.push({ name, in: "query", required: required.has(name), schema: rest, description, example: exampleFor(rest, components, name) });
    }
  }
  if (op.method === "POST") params.push({ $ref: "#/components/parameters/IdempotencyKey" });
  return params;
}

function errorResponses(op: ApiOperation) {
  const codes = new Set<ErrorCode>([...ALWAYS, ...op.errors]);
  if (op.query) codes.add("VALIDATION");
  if (WITH_BODY.has(op.method)) ["VALIDATION", "PAYLOAD_TOO_LARGE"].forEach((c) => codes.add(c as ErrorCode));
  if (op.method === "POST") codes.add("CONFLICT");
  if (op.method !== "GET") codes.add("FORBIDDEN");
  if (Object.keys(op.pathParams ?? {}).length) codes.add("NOT_FOUND");
  const byStatus = new Map<number, ErrorCode[]>();
  for (const c of codes) byStatus.set(httpStatus[c], [...(byStatus.get(httpStatus[c]) ?? []), c]);
  return Object.fromEntries(
    [...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, list]) => [
        String(status),
        {
          description: list.map((c) => `${c}: ${ERROR_TEXT[c]}`).join(" "),
          headers: status === 429 ? { "Retry-After": { $ref: "#/components/headers/Retry-After" }, ...rateHeaderRefs() } : rateHeaderRefs(),
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" }, example: errorExample(list[0]) } },
        },
      ]),
  );
}

const rateHeaderRefs = () => ({
  "RateLimit-Limit": { $ref: "#/components/headers/RateLimit-Limit" },
  "RateLimit-Remaining": { $ref: "#/components/headers/RateLimit-Remaining" },
  "RateLimit-Reset": { $ref: "#/components/headers/RateLimit-Reset" },
});

export function errorExample(code: ErrorCode) {
  const details: Record<string, unknown> | undefined =
    code === "VALIDATION"
      ? { fields: { name: ["Enter a name."] }, fieldKeys: { name: ["offerings.validation.nameRequired"] } }
      : code === "RATE_LIMITED"
        ? { retryAfterSeconds: 12 }
        : code === "METHOD_NOT_ALLOWED"
          ? { allow: ["GET", "HEAD", "OPTIONS"] }
          : undefined;
  const message = code === "INTERNAL" ? "Something went wrong (reference 0b7c9a52-1f0e-4b8e-9a43-3f1d2c6e7a10)" : ERROR_TEXT[code].split(":")[0];
  return { error: { code, message, ...(details ? { details } : {}), correlationId: "0b7c9a52-1f0e-4b8e-9a43-3f1d2c6e7a10" } };
}

export function buildOpenApiDocument(opts: { serverUrl?: string } = {}) {
  const schemas: Record<string, JsonSchema> = {};
  // errorResponse carries the id "Error": converting it registers components.schemas.Error.
  const errorRef = toSchema(errorResponse, "output", schemas);
  if (!schemas.Error) schemas.Error = errorRef;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of API_OPERATIONS) {
    const status = String(op.status ?? 200);
    const bodySchema = op.body ? toSchema(op.body, "input", schemas) : null;
    const responseSchema = op.response ? toSchema(op.response, "output", schemas) : null;
    const operation: Record<string, unknown> = {
      operationId: op.operationId,
      tags: [op.tag],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      parameters: parameters(op, schemas),
      ...(bodySchema
        ? {
            requestBody: {
              required: ((bodySchema.required as string[] | undefined) ?? []).length > 0,
              description: `JSON, at most ${MAX_BODY_BYTES / 1024} KiB (Content-Type: application/json).`,
              content: { "application/json": { schema: bodySchema, example: op.examples?.request ?? exampleFor(bodySchema, schemas) } },
            },
          }
        : {}),
      responses: {
        [status]: {
          description: { "200": "OK", "201": "Created", "202": "Accepted: the operation is queued", "204": "Done; no body" }[status] ?? "OK",
          headers: {
            ...rateHeaderRefs(),
            ...(op.method === "POST" ? { "Idempotent-Replayed": { $ref: "#/components/headers/Idempotent-Replayed" } } : {}),
          },
          ...(op.produces
            ? { content: { [op.produces]: { schema: { type: "string" }, example: op.examples?.response ?? "" } } }
            : responseSchema
            ? { content: { "application/json": { schema: responseSchema, example: op.examples?.response ?? exampleFor(responseSchema, schemas) } } }
            : {}),
        },
        ...errorResponses(op),
      },
    };
    (paths[op.path] ??= {})[op.method.toLowerCase()] = operation;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Orquestra API",
      version: API_VERSION,
      description: [
        "Self-service machines and their administration: every action of the portal, with the same permission checks.",
        "",
        "Authenticate with a personal API token (create one under Settings → API tokens): `Authorization: Bearer orq_…`. Calls from the portal's own pages may use the session cookie instead; changes made with the cookie must come from the portal's own origin.",
        "",
        "Errors always have the shape `{ \"error\": { \"code\", \"message\", \"details\" } }`. Unknown query parameters, unknown enum values, malformed numbers and ids answer 400 with `details.fields`; a malformed id in the path answers 404.",
        "",
        `POST accepts an \`Idempotency-Key\` header: a retry with the same key and body returns the first response (with \`Idempotent-Replayed: true\`) instead of acting twice. Bodies are JSON, at most ${MAX_BODY_BYTES / 1024} KiB.`,
        "",
        "Rate limits: each token (or signed-in user) may make a configured number of calls per window (600 a minute by default). Every answer carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`; past the limit the answer is 429 with `Retry-After`.",
        "",
        "A method a path does not support answers 405 with an `Allow` header and the error body (`METHOD_NOT_ALLOWED`); `OPTIONS` answers 204 with `Allow`.",
      ].join("\n"),
    },
    servers: [{ url: opts.serverUrl ?? "/api/v1" }],
    security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    tags: [...new Set(API_OPERATIONS.map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "orq_<8 hex>_<43 base64url>", description: "A personal API token." },
        sessionCookie: { type: "apiKey", in: "cookie", name: "authjs.session-token", description: "The portal's session (same-origin requests only)." },
      },
      parameters: {
        IdempotencyKey: {
          name: "Idempotency-Key",
          in: "header",
          required: false,
          description:
            "Any unique string of 1 to 255 visible ASCII characters without spaces (a UUID is ideal): retries with the same key and body return the first response. Kept 24 hours, per user. The same key with another body answers 409.",
          schema: { type: "string", minLength: 1, maxLength: 255, pattern: IDEMPOTENCY_KEY_PATTERN },
          example: "5b0b8e7e-2f3a-4d8c-9f61-1c2d3e4f5a6b",
        },
      },
      headers: {
        "Retry-After": { description: "Seconds to wait before the next call.", schema: { type: "integer", minimum: 1 }, example: 12 },
        "RateLimit-Limit": { description: "Calls allowed per window for this token (or user).", schema: { type: "integer", minimum: 1 }, example: 600 },
        "RateLimit-Remaining": { description: "Calls left in the current window.", schema: { type: "integer", minimum: 0 }, example: 598 },
        "RateLimit-Reset": { description: "Seconds until the window ends.", schema: { type: "integer", minimum: 1 }, example: 42 },
        "Idempotent-Replayed": { description: "`true` when this is the stored answer to an earlier request with the same Idempotency-Key.", schema: { type: "string", enum: ["true"] }, example: "true" },
      },
      responses: {
        MethodNotAllowed: {
          description: ERROR_TEXT.METHOD_NOT_ALLOWED,
          headers: { Allow: { description: "The methods the path supports.", schema: { type: "string" }, example: "GET, HEAD, OPTIONS" } },
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" }, example: errorExample("METHOD_NOT_ALLOWED") } },
        },
      },
    },
  };
}

// The OpenAPI 3.1 document of /api/v1, generated from the same zod schemas the handlers parse
// with (lib/api/operations.ts). We use zod 4's native z.toJSONSchema rather than
// @asteasolutions/zod-to-openapi or zod-openapi: OpenAPI 3.1 schemas ARE JSON Schema
// 2020-12, which z.toJSONSchema emits directly, so no extra dependency, no schema
// re-declaration with .openapi() calls, and the service schemas stay plain zod. Input
// schemas are rendered as the client sends them (io: "input": defaults optional, coercions
// as their input type), responses as the server sends them (io: "output").
import "server-only";
import { z } from "zod";
import { httpStatus, type ErrorCode } from "../errors";
import { MAX_BODY_BYTES } from "./handler";
import { API_OPERATIONS } from "./operations";
import { errorResponse } from "./responses";
import type { ApiOperation } from "./operation";

type JsonSchema = Record<string, unknown>;

export const API_VERSION = "1.0.0";

const ERROR_TEXT: Record<ErrorCode, string> = {
  VALIDATION: "The input is invalid: `details.fields` says which field and why.",
  UNAUTHENTICATED: "No valid API token or session.",
  FORBIDDEN: "Your role does not allow this.",
  NOT_FOUND: "No such resource, or not in a project you can see.",
  CONFLICT: "The resource changed or is in a state that does not allow this; or the Idempotency-Key was used for another request.",
  QUOTA_EXCEEDED: "The project's quota would be exceeded (or no capacity).",
  NO_CAPACITY: "No provider has room for this.",
  RATE_LIMITED: "Too many requests.",
  PAYLOAD_TOO_LARGE: `The body exceeds ${MAX_BODY_BYTES / 1024} KiB.`,
  DRIVER_ERROR: "The hypervisor or cloud refused or failed.",
  INTERNAL: "Unexpected error: quote the correlation id.",
};

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

function parameters(op: ApiOperation, components: Record<string, JsonSchema>) {
  const params: JsonSchema[] = (op.pathParams ?? []).map((name) => ({
    name,
    in: "path",
    required: true,
    schema: { type: "string", format: "uuid" },
  }));
  if (op.query) {
    const json = toSchema(op.query, "input", components);
    const props = (json.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((json.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries(props)) {
      const { description, ...rest } = schema;
      params.push({ name, in: "query", required: required.has(name), schema: rest, ...(description ? { description } : {}) });
    }
  }
  if (op.method === "POST") params.push({ $ref: "#/components/parameters/IdempotencyKey" });
  return params;
}

function errorResponses(op: ApiOperation) {
  const codes = new Set<ErrorCode>(["UNAUTHENTICATED", ...op.errors, "INTERNAL"]);
  if (op.method === "POST") ["VALIDATION", "CONFLICT", "PAYLOAD_TOO_LARGE"].forEach((c) => codes.add(c as ErrorCode));
  if (op.pathParams?.length) codes.add("NOT_FOUND");
  const byStatus = new Map<number, ErrorCode[]>();
  for (const c of codes) byStatus.set(httpStatus[c], [...(byStatus.get(httpStatus[c]) ?? []), c]);
  return Object.fromEntries(
    [...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, list]) => [
        String(status),
        {
          description: list.map((c) => `${c}: ${ERROR_TEXT[c]}`).join(" "),
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        },
      ]),
  );
}

export function buildOpenApiDocument(opts: { serverUrl?: string } = {}) {
  const schemas: Record<string, JsonSchema> = {};
  // errorResponse carries the id "Error": converting it registers components.schemas.Error.
  const errorRef = toSchema(errorResponse, "output", schemas);
  if (!schemas.Error) schemas.Error = errorRef;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of API_OPERATIONS) {
    const status = String(op.status ?? 200);
    const operation: Record<string, unknown> = {
      operationId: op.operationId,
      tags: [op.tag],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      parameters: parameters(op, schemas),
      ...(op.body
        ? {
            requestBody: {
              required: Object.keys((toSchema(op.body, "input", schemas).properties as object) ?? {}).length > 0,
              content: { "application/json": { schema: toSchema(op.body, "input", schemas) } },
            },
          }
        : {}),
      responses: {
        [status]: {
          description: status === "201" ? "Created" : status === "202" ? "Accepted: the operation is queued" : "OK",
          content: op.produces ? { [op.produces]: { schema: { type: "string" } } } : { "application/json": { schema: toSchema(op.response, "output", schemas) } },
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
        "Self-service machines for your projects: the same actions as the portal, with the same permission checks.",
        "",
        "Authenticate with a personal API token (create one under Settings → API tokens): `Authorization: Bearer orq_…`. Calls from the portal's own pages may use the session cookie instead.",
        "",
        "Errors always have the shape `{ \"error\": { \"code\", \"message\", \"details\" } }`. POST accepts an `Idempotency-Key` header: a retry with the same key and body returns the first response instead of acting twice. Bodies are JSON, at most 64 KiB.",
      ].join("\n"),
    },
    servers: [{ url: opts.serverUrl ?? "/api/v1" }],
    security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    tags: [...new Set(API_OPERATIONS.map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "orq_<prefix>_<secret>", description: "A personal API token." },
        sessionCookie: { type: "apiKey", in: "cookie", name: "authjs.session-token", description: "The portal's session (same-origin requests only)." },
      },
      parameters: {
        IdempotencyKey: {
          name: "Idempotency-Key",
          in: "header",
          required: false,
          description: "Any unique string (a UUID): retries with the same key and body return the first response. Kept 24 hours.",
          schema: { type: "string", minLength: 1, maxLength: 255 },
        },
      },
    },
  };
}

// One REST operation, declared once: the route handler (lib/api/handler.ts) runs it and the
// OpenAPI document (lib/api/openapi.ts) describes it, from the same zod schemas.
import type { z } from "zod";
import type { Ctx } from "../context";
import type { ErrorCode } from "../errors";

export interface RequestParts {
  /** Path parameters (already checked to be UUIDs). */
  params: Record<string, string>;
  /** Query string, last value wins. */
  query: Record<string, string>;
  /** Parsed JSON body; {} when the request had none. */
  body: Record<string, unknown>;
}

export interface ApiOperation<S extends z.ZodType = z.ZodType, T = unknown> {
  operationId: string;
  method: "GET" | "POST";
  /** OpenAPI path template under /api/v1, e.g. "/machines/{machineId}/start". */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Path parameters, each a UUID; a malformed one answers NOT_FOUND (no such resource). */
  pathParams?: readonly string[];
  /** GET: the documented query parameters (an object schema). */
  query?: z.ZodObject;
  /** POST: the documented JSON body; absent when the operation takes none. */
  body?: z.ZodType;
  /** The verb's own schema: parses the verb input built from the request. */
  input: S;
  /** Builds the verb input; by default the query (GET) or body (POST) with the path parameters over it. */
  prepare?: (parts: RequestParts) => unknown;
  verb: (ctx: Ctx, input: z.infer<S>) => Promise<T>;
  /** Shapes the verb's result for the wire; by default sent as is. */
  present?: (result: T) => unknown;
  /** Documented success body. */
  response: z.ZodType;
  /**
   * A file instead of JSON: `present` returns { fileName, body } and the handler answers with
   * this content type as an attachment (the response schema documents the body as a string).
   */
  produces?: "text/csv";
  status?: 200 | 201 | 202;
  /** Namespace of bare message keys in this verb's validation errors ("requests.errors"). */
  messages?: string;
  /** Error codes this operation can answer besides UNAUTHENTICATED/INTERNAL (documentation). */
  errors: readonly ErrorCode[];
}

export const defineOperation = <S extends z.ZodType, T>(op: ApiOperation<S, T>): ApiOperation<S, T> => op;

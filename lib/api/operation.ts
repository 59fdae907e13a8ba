// One REST operation, declared once: the route handler (lib/api/handler.ts) runs it and the
// OpenAPI document (lib/api/openapi.ts) describes it, from the same zod schemas.
import type { z } from "zod";
import type { Ctx } from "../context";
import type { ErrorCode } from "../errors";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RequestParts {
  /** Path parameters (already checked to be UUIDs). */
  params: Record<string, string>;
  /** Query string, already parsed by the operation's `query` schema when it has one. */
  query: Record<string, unknown>;
  /** Parsed JSON body; {} when the request had none. */
  body: Record<string, unknown>;
}

export interface ApiOperation<S extends z.ZodType = z.ZodType, T = unknown> {
  operationId: string;
  method: HttpMethod;
  /** OpenAPI path template under /api/v1, e.g. "/machines/{machineId}/start". */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Path parameters (name -> description), each a UUID; a malformed one answers 404. */
  pathParams?: Readonly<Record<string, string>>;
  /**
   * The query parameters, as a strict object schema: it validates (unknown parameters,
   * bad values and out-of-range pages answer 400) and documents them. Every property needs
   * a description (a test checks).
   */
  query?: z.ZodObject;
  /** The JSON body; absent when the operation takes none. */
  body?: z.ZodType;
  /** The verb's own schema: parses the verb input built from the request. */
  input: S;
  /** Builds the verb input; by default the parsed query (GET) or body with the path parameters over it. */
  prepare?: (parts: RequestParts) => unknown;
  verb: (ctx: Ctx, input: z.infer<S>) => Promise<T>;
  /** Shapes the verb's result for the wire; by default sent as is. */
  present?: (result: T) => unknown;
  /** Documented success body (null: 204 No Content). */
  response: z.ZodType | null;
  /**
   * A file instead of JSON: `present` returns { fileName, body } and the handler answers with
   * this content type as an attachment (the response schema documents the body as a string).
   */
  produces?: "text/csv";
  status?: 200 | 201 | 202 | 204;
  /** Namespace of bare message keys in this verb's validation errors ("requests.errors"). */
  messages?: string;
  /** Error codes this operation can answer besides the ones every operation can (documentation). */
  errors: readonly ErrorCode[];
  /** Examples for the document (a test checks each against its schema). */
  examples?: { request?: unknown; response?: unknown };
}

export const defineOperation = <S extends z.ZodType, T>(op: ApiOperation<S, T>): ApiOperation<S, T> => op;

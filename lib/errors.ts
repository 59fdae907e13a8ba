// Typed errors, mapped once to HTTP statuses (API) and to form messages (server actions).
// Anything that is not an AppError reaches users as a generic message with a correlation id.
import { ZodError } from "zod";

export type ErrorCode =
  | "VALIDATION"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "CONFLICT"
  | "QUOTA_EXCEEDED"
  | "NO_CAPACITY"
  | "RATE_LIMITED"
  | "PAYLOAD_TOO_LARGE"
  | "DRIVER_ERROR"
  | "INTERNAL";

export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly details?: { fields?: FieldErrors; [k: string]: unknown },
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const validationError = (fields: FieldErrors, message = "Some fields are invalid") =>
  new AppError("VALIDATION", message, { fields });
export const forbidden = (message = "You are not allowed to do this") => new AppError("FORBIDDEN", message);
export const notFound = (what = "Resource") => new AppError("NOT_FOUND", `${what} not found`);
export const conflict = (message: string, details?: Record<string, unknown>) => new AppError("CONFLICT", message, details);
export const unauthenticated = () => new AppError("UNAUTHENTICATED", "Sign in first");

export const httpStatus: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  QUOTA_EXCEEDED: 422,
  NO_CAPACITY: 422,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  DRIVER_ERROR: 502,
  INTERNAL: 500,
};

export function zodFieldErrors(err: ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of err.issues) {
    if (issue.code === "unrecognized_keys") {
      // One entry per unknown key, under its own name (strict schemas: API query strings).
      for (const k of issue.keys) (out[[...issue.path, k].join(".")] ??= []).push("Unknown parameter: see the documentation for the ones this operation takes.");
      continue;
    }
    const key = issue.path.length ? issue.path.join(".") : "_form";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** The shape every server action and API error takes on the wire. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
  correlationId?: string;
}

export function toErrorBody(err: unknown, correlationId: string): ErrorBody {
  if (err instanceof AppError) {
    return { code: err.code, message: err.message, details: err.details, correlationId };
  }
  if (err instanceof ZodError) {
    return { code: "VALIDATION", message: "Some fields are invalid", details: { fields: zodFieldErrors(err) }, correlationId };
  }
  return { code: "INTERNAL", message: `Something went wrong (reference ${correlationId})`, correlationId };
}

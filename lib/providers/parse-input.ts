// Verbs validate their own input (the API and tests call them directly, not only through
// runAction) and report failures as a VALIDATION AppError with field messages.
import type { z } from "zod";
import { validationError, zodFieldErrors } from "../errors";

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw validationError(zodFieldErrors(parsed.error));
  return parsed.data;
}

export const isUniqueViolation = (err: unknown) =>
  typeof err === "object" && err !== null && "code" in err && (err as { code: unknown }).code === "P2002";

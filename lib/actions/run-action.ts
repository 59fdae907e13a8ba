// The one wrapper every server action goes through: authenticate, validate with the verb's
// zod schema, call ONE service verb, and map errors to a serialisable result. Unexpected
// errors are logged with a correlation id and shown to the user only as that id.
import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { prisma } from "../db/client";
import { currentSessionId, requireActor } from "../auth/session";
import { toErrorBody, type ErrorBody, AppError } from "../errors";
import type { Ctx } from "../context";
import { logger } from "../log/logger";

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

export async function runAction<S extends z.ZodType, T>(
  schema: S,
  input: unknown,
  verb: (ctx: Ctx, input: z.infer<S>) => Promise<T>,
): Promise<ActionResult<T>> {
  const correlationId = randomUUID();
  try {
    const actor = await requireActor();
    const parsed = schema.safeParse(input);
    if (!parsed.success) return { ok: false, error: toErrorBody(parsed.error, correlationId) };
    const data = await verb({ actor, db: prisma(), correlationId, now: () => new Date(), sessionId: await currentSessionId() }, parsed.data);
    return { ok: true, data };
  } catch (err) {
    if (!(err instanceof AppError)) logger.error({ err, correlationId }, "server action failed");
    return { ok: false, error: toErrorBody(err, correlationId) };
  }
}

/** For pages: build a context for the signed-in actor (throws UNAUTHENTICATED). */
export async function pageContext(): Promise<Ctx> {
  const actor = await requireActor();
  return { actor, db: prisma(), correlationId: randomUUID(), now: () => new Date(), sessionId: await currentSessionId() };
}

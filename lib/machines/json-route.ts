// Session-authenticated JSON for the polling route handlers under app/api (machine status,
// notifications): validates the query with the verb's schema, calls ONE verb, maps errors
// to statuses with the shared error body. Responses are never cached.
import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Ctx } from "../context";
import { prisma } from "../db/client";
import { requireActor } from "../auth/session";
import { AppError, httpStatus, toErrorBody } from "../errors";
import { logger } from "../log/logger";

export async function jsonRoute<S extends z.ZodType, T>(
  schema: S,
  input: unknown,
  verb: (ctx: Ctx, input: z.infer<S>) => Promise<T>,
): Promise<Response> {
  const correlationId = randomUUID();
  const headers = { "Cache-Control": "no-store" };
  try {
    const actor = await requireActor();
    const parsed = schema.safeParse(input);
    if (!parsed.success) return Response.json({ error: toErrorBody(parsed.error, correlationId) }, { status: 400, headers });
    const data = await verb({ actor, db: prisma(), correlationId, now: () => new Date() }, parsed.data);
    return Response.json(data, { headers });
  } catch (err) {
    if (!(err instanceof AppError)) logger.error({ err, correlationId }, "route handler failed");
    const body = toErrorBody(err, correlationId);
    return Response.json({ error: body }, { status: httpStatus[body.code], headers });
  }
}

/** URLSearchParams as a plain object (last value wins), for zod. */
export const queryOf = (url: string) => Object.fromEntries(new URL(url).searchParams);

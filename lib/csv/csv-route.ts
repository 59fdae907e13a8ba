// Session-authenticated CSV downloads (the list exports): validates the query with the verb's
// schema, lets the verb authorize and return its row generator, then streams the rows. Errors
// before the first byte answer with the shared JSON error body and status, like jsonRoute.
import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Ctx } from "../context";
import { prisma } from "../db/client";
import { requireActor } from "../auth/session";
import { AppError, httpStatus, toErrorBody } from "../errors";
import { logger } from "../log/logger";
import { csvResponse, type CsvCell } from "./csv";

export async function csvRoute<S extends z.ZodType>(
  schema: S,
  input: unknown,
  file: { name: string; header: string[] },
  verb: (ctx: Ctx, input: z.infer<S>) => Promise<() => AsyncGenerator<CsvCell[]>> | (() => AsyncGenerator<CsvCell[]>),
): Promise<Response> {
  const correlationId = randomUUID();
  const headers = { "Cache-Control": "no-store" };
  try {
    const actor = await requireActor();
    const parsed = schema.safeParse(input);
    if (!parsed.success) return Response.json({ error: toErrorBody(parsed.error, correlationId) }, { status: 400, headers });
    const rows = await verb({ actor, db: prisma(), correlationId, now: () => new Date() }, parsed.data);
    return csvResponse(`${file.name}-${new Date().toISOString().slice(0, 10)}.csv`, file.header, rows);
  } catch (err) {
    if (!(err instanceof AppError)) logger.error({ err, correlationId }, "csv export failed");
    const body = toErrorBody(err, correlationId);
    return Response.json({ error: body }, { status: httpStatus[body.code], headers });
  }
}

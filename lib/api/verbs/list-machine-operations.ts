// A machine's operations, newest first, with keyset pagination on (createdAt, id): the
// machine page shows only the latest 100, an API client can walk the whole history.
// Machines of projects the actor cannot read are NOT_FOUND.
import "server-only";
import type { Ctx } from "../../context";
import type { Prisma } from "../../db/client";
import { can } from "../../auth/permissions";
import { notFound } from "../../errors";
import type { OperationView } from "../../machines/views";
import type { ListMachineOperationsInput } from "./schemas";

const encodeCursor = (at: Date, id: string) => `${at.getTime()}.${id}`;
function decodeCursor(c: string): { at: Date; id: string } {
  const dot = c.indexOf(".");
  return { at: new Date(Number(c.slice(0, dot))), id: c.slice(dot + 1) };
}

export async function listMachineOperations(ctx: Ctx, input: ListMachineOperationsInput): Promise<{ items: OperationView[]; nextCursor: string | null }> {
  const machine = await ctx.db.machine.findUnique({ where: { id: input.machineId }, select: { id: true, projectId: true } });
  if (!machine || !can(ctx.actor, "machine.read", machine.projectId)) throw notFound("Machine");
  const where: Prisma.OperationWhereInput = { machineId: machine.id };
  if (input.cursor) {
    const c = decodeCursor(input.cursor);
    where.OR = [{ createdAt: { lt: c.at } }, { createdAt: c.at, id: { lt: c.id } }];
  }
  const rows = await ctx.db.operation.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    include: { requestedBy: { select: { name: true } } },
  });
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((o) => ({
      id: o.id,
      kind: o.kind,
      status: o.status,
      progress: o.progress,
      attempts: o.attempts,
      params: o.params && typeof o.params === "object" && !Array.isArray(o.params) ? (o.params as Record<string, unknown>) : {},
      errorCode: o.errorCode,
      error: o.error,
      requestedBy: o.requestedBy?.name ?? null,
      createdAt: o.createdAt.toISOString(),
      startedAt: o.startedAt?.toISOString() ?? null,
      finishedAt: o.finishedAt?.toISOString() ?? null,
    })),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}

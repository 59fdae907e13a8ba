// Writes one audit event. Always called with the transaction that makes the change, so the
// change and its audit record commit or roll back together.
import type { Prisma, Tx } from "../db/client";
import type { Ctx } from "../context";

export interface AuditInput {
  action: string;
  targetType: string;
  targetId?: string | null;
  projectId?: string | null;
  before?: unknown;
  after?: unknown;
}

const toJson = (v: unknown): Prisma.InputJsonValue | undefined =>
  v === undefined || v === null ? undefined : (JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x))) as Prisma.InputJsonValue);

export async function recordAudit(tx: Tx, ctx: Pick<Ctx, "actor" | "correlationId"> | { actor: null; correlationId: string }, input: AuditInput): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorId: ctx.actor?.id ?? null,
      actorEmail: ctx.actor?.email ?? "system",
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId ?? null,
      projectId: input.projectId ?? null,
      before: toJson(input.before),
      after: toJson(input.after),
      correlationId: ctx.correlationId,
    },
  });
}

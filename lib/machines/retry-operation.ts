// Retry of a failed operation (issue 16): a NEW operation of the same kind with the same
// parameters, requested through the ordinary verb of that kind (so permission, project policy,
// capability, state, quota and snapshot checks all apply again, and the verb's own audit event
// is written), linked to the failed one (Operation.retryOfId) and audited as `operation.retry`.
// Only the machine's latest operation can be retried, and only once.
import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { recordAudit } from "../audit/record-audit";
import { conflict, notFound } from "../errors";
import { loadOperableMachine } from "./request-operation";
import { RETRYABLE_KINDS, type RetryableKind } from "./retryable";
import type { retryOperationSchema } from "./schemas";
import { startMachine } from "./start-machine";
import { stopMachine } from "./stop-machine";
import { rebootMachine } from "./reboot-machine";
import { resizeMachine } from "./resize-machine";
import { createSnapshot } from "./create-snapshot";
import { revertSnapshot } from "./revert-snapshot";
import { deleteSnapshot } from "./delete-snapshot";
import { deleteMachine } from "./delete-machine";

const str = (v: unknown) => (typeof v === "string" ? v : "");

/** The verb of each retryable kind, fed with the failed operation's parameters. */
const AGAIN: Record<RetryableKind, (ctx: Ctx, machine: { id: string; name: string }, params: Record<string, unknown>) => Promise<{ operationId: string }>> = {
  START: (ctx, m) => startMachine(ctx, { machineId: m.id }),
  STOP: (ctx, m) => stopMachine(ctx, { machineId: m.id }),
  REBOOT: (ctx, m) => rebootMachine(ctx, { machineId: m.id }),
  RESIZE: (ctx, m, p) => resizeMachine(ctx, { machineId: m.id, offeringId: str(p.offeringId) }),
  SNAPSHOT_CREATE: (ctx, m, p) => createSnapshot(ctx, { machineId: m.id, name: str(p.name) }),
  SNAPSHOT_REVERT: (ctx, m, p) => revertSnapshot(ctx, { machineId: m.id, snapshotId: str(p.snapshotId) }),
  SNAPSHOT_DELETE: (ctx, m, p) => deleteSnapshot(ctx, { machineId: m.id, snapshotId: str(p.snapshotId) }),
  // The name was typed when the delete was first asked for.
  DELETE: (ctx, m) => deleteMachine(ctx, { machineId: m.id, confirmName: m.name }),
};

export async function retryOperation(ctx: Ctx, input: z.infer<typeof retryOperationSchema>) {
  const machine = await loadOperableMachine(ctx, input.machineId);
  const op = await ctx.db.operation.findUnique({ where: { id: input.operationId } });
  if (!op || op.machineId !== machine.id) throw notFound("Operation");
  if (op.status !== "FAILED") throw conflict("Only a failed operation can be retried", { status: op.status });
  if (!(RETRYABLE_KINDS as readonly string[]).includes(op.kind)) throw conflict("This kind of operation cannot be retried", { kind: op.kind });
  const [later, retried] = await Promise.all([
    ctx.db.operation.count({ where: { machineId: machine.id, seq: { gt: op.seq } } }),
    ctx.db.operation.count({ where: { retryOfId: op.id } }),
  ]);
  if (retried > 0) throw conflict("This operation was already retried");
  if (later > 0) throw conflict("Other operations ran on this machine since: request it again instead");

  const params = op.params && typeof op.params === "object" ? (op.params as Record<string, unknown>) : {};
  const created = await AGAIN[op.kind as RetryableKind](ctx, machine, params);
  await ctx.db.$transaction(async (tx) => {
    await tx.operation.update({ where: { id: created.operationId }, data: { retryOfId: op.id } });
    await recordAudit(tx, ctx, {
      action: "operation.retry",
      targetType: "Machine",
      targetId: machine.id,
      projectId: machine.projectId,
      before: { operationId: op.id, kind: op.kind, errorCode: op.errorCode },
      after: { operationId: created.operationId },
    });
  });
  return { ...created, retryOfId: op.id };
}

// The one way an operation is requested, shared by the web side (day-2 requests), the worker
// (lease expiry, cleanup after a failed provision) and reconcile. In the caller's transaction,
// following the operation table: check the machine's state against the spec, move it into the
// transitional state (state machine + version check) or bump its version, cancel what the
// spec cancels, create the Operation row (params.fromState = the state before) and make sure
// the machine's job runs. Two requests racing on one machine cannot both pass the version check.
import type { Prisma, Tx } from "../db/client";
import type { MachineState, OperationKind } from "../generated/prisma/enums";
import { conflict, validationError } from "../errors";
import { enqueueOperation } from "./enqueue";
import { moveMachine, type VersionedMachine } from "./machine-transition";
import { compensate } from "./compensations";
import { OPERATION_SPECS } from "./operation-specs";

export interface CreateOperationInput {
  kind: OperationKind;
  params?: Record<string, unknown>;
  requestedById?: string | null;
}

/** Why queued operations end when a later one cancels them (shown on the machine page). */
const CANCELLED_BY: Partial<Record<OperationKind, string>> = {
  DELETE: "Cancelled: the machine is being deleted",
};

export async function createOperation(tx: Tx, machine: VersionedMachine & { projectId?: string }, input: CreateOperationInput) {
  const spec = OPERATION_SPECS[input.kind];
  const fromState: MachineState = machine.state;
  if (!(spec.from as readonly MachineState[]).includes(fromState)) {
    throw conflict(`${spec.label} is not possible while the machine is ${fromState}`, { from: fromState, kind: input.kind });
  }
  const parsed = spec.params.safeParse(input.params ?? {});
  if (!parsed.success) throw validationError({ params: parsed.error.issues.map((i) => i.message) });

  if (spec.transitional) {
    await moveMachine(tx, machine, spec.transitional);
  } else {
    const r = await tx.machine.updateMany({ where: { id: machine.id, version: machine.version, state: machine.state }, data: { version: { increment: 1 } } });
    if (r.count !== 1) throw conflict("The machine changed in the meantime", { machineId: machine.id });
  }

  if (spec.cancelsQueued) await cancelQueued(tx, machine.id, CANCELLED_BY[input.kind] ?? `Cancelled by ${spec.label.toLowerCase()}`);

  const operation = await tx.operation.create({
    data: {
      machineId: machine.id,
      kind: input.kind,
      status: "QUEUED",
      requestedById: input.requestedById ?? null,
      params: { ...parsed.data, fromState } as Prisma.InputJsonValue,
    },
  });
  await enqueueOperation(tx, operation);
  return operation;
}

/**
 * Cancels the machine's operations that wait in its queue (not one a worker is running, and
 * never a CLEANUP: leftovers must still be removed), giving back what they reserved.
 */
async function cancelQueued(tx: Tx, machineId: string, reason: string): Promise<number> {
  const cancelled = await tx.operation.updateManyAndReturn({
    where: { machineId, status: "QUEUED", kind: { not: "CLEANUP" } },
    data: { status: "CANCELLED", errorCode: "CANCELLED", error: reason, finishedAt: new Date(), nextAttemptAt: null },
  });
  if (cancelled.length) {
    const m = await tx.machine.findUniqueOrThrow({ where: { id: machineId }, select: { projectId: true } });
    for (const op of cancelled) await compensate(tx, op, m, reason);
  }
  return cancelled.length;
}

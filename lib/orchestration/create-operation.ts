// Shared by the web side (day-2 requests) and the worker (lease expiry): in the caller's
// transaction, move the machine into the operation's transitional state (state machine +
// version check), create the Operation row (params.fromState = the state before) and
// enqueue its job. Snapshot operations keep the state but still bump the version, so two
// requests racing on one machine cannot both pass.
import type { Prisma, Tx } from "../db/client";
import type { MachineState, OperationKind } from "../generated/prisma/enums";
import { enqueueOperation } from "./enqueue";
import { moveMachine, type VersionedMachine } from "./machine-transition";
import { conflict } from "../errors";

/** The state a machine is in while each kind of operation runs (null: unchanged). */
export const TRANSITIONAL_STATE: Record<OperationKind, MachineState | null> = {
  PROVISION: "PROVISIONING",
  START: "STARTING",
  STOP: "STOPPING",
  REBOOT: "REBOOTING",
  RESIZE: "RESIZING",
  SNAPSHOT_CREATE: null,
  SNAPSHOT_REVERT: null,
  SNAPSHOT_DELETE: null,
  DELETE: "DELETING",
  CLEANUP: null,
};

export interface CreateOperationInput {
  kind: OperationKind;
  params?: Record<string, string | number | boolean | null>;
  requestedById?: string | null;
}

export async function createOperation(tx: Tx, machine: VersionedMachine, input: CreateOperationInput) {
  const fromState = machine.state;
  const to = TRANSITIONAL_STATE[input.kind];
  if (to) {
    await moveMachine(tx, machine, to);
  } else {
    const r = await tx.machine.updateMany({ where: { id: machine.id, version: machine.version, state: machine.state }, data: { version: { increment: 1 } } });
    if (r.count !== 1) throw conflict("The machine changed in the meantime", { machineId: machine.id });
  }
  const operation = await tx.operation.create({
    data: {
      machineId: machine.id,
      kind: input.kind,
      status: "QUEUED",
      requestedById: input.requestedById ?? null,
      params: { ...(input.params ?? {}), fromState } as Prisma.InputJsonValue,
    },
  });
  await enqueueOperation(tx, operation);
  return operation;
}

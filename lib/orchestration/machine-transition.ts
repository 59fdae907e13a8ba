// The worker's one way of changing a machine's state: the state machine decides whether the
// move is allowed, and the version column makes it conditional (optimistic concurrency), so
// a machine changed by someone else in the meantime answers CONFLICT instead of being overwritten.
import type { Prisma, Tx } from "../db/client";
import type { Machine } from "../generated/prisma/client";
import type { MachineState } from "../generated/prisma/enums";
import { conflict } from "../errors";
import { transition } from "../machines/state-machine";
import { emitMachineStateChanged } from "../events/emit";

export interface VersionedMachine {
  id: string;
  state: MachineState;
  version: number;
}

export async function moveMachine(
  tx: Tx,
  machine: VersionedMachine,
  to: MachineState,
  data: Omit<Prisma.MachineUncheckedUpdateManyInput, "state" | "version"> = {},
): Promise<VersionedMachine> {
  transition(machine.state, to);
  const r = await tx.machine.updateMany({
    where: { id: machine.id, version: machine.version, state: machine.state },
    data: { ...data, state: to, version: { increment: 1 } },
  });
  if (r.count !== 1) throw conflict("The machine changed in the meantime", { machineId: machine.id, expected: machine.state });
  await emitMachineStateChanged(tx, machine.id, machine.state, to);
  return { id: machine.id, state: to, version: machine.version + 1 };
}

/**
 * Reads a machine with its row locked until the transaction ends: concurrent finishers of
 * one operation (a job run twice after a recovery) then see each other's result in turn.
 */
export async function lockMachine(tx: Tx, id: string): Promise<Machine> {
  // One statement: lock and read (every column, as findUnique would return them; a test in
  // test/scale/provision-statements.int.test.ts compares the two).
  const rows = await tx.$queryRaw<Machine[]>`select * from "Machine" where id = ${id}::uuid for update`;
  // As findUniqueOrThrow did: not an AppError (the engine leaves it to the job's own retry).
  if (rows.length !== 1) throw new Error(`Machine ${id} not found`);
  return rows[0];
}

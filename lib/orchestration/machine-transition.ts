// The worker's one way of changing a machine's state: the state machine decides whether the
// move is allowed, and the version column makes it conditional (optimistic concurrency), so
// a machine changed by someone else in the meantime answers CONFLICT instead of being overwritten.
import { Prisma, type Tx } from "../db/client";
import type { Machine } from "../generated/prisma/client";
import type { MachineState } from "../generated/prisma/enums";
import { conflict } from "../errors";
import { transition } from "../machines/state-machine";
import { emitMachineStateChanged, machineStateChangedCtes } from "../events/emit";

export interface VersionedMachine {
  id: string;
  state: MachineState;
  version: number;
}

// Columns the engine writes with a move, and their SQL types: a move that writes only these
// (plain values) is ONE raw statement with its event (issue 9: no ORM planning, one round trip
// fewer); anything else (another column, a Prisma update operator) goes through Prisma.
const RAW_COLUMNS: Record<string, "text" | "uuid" | "jsonb"> = {
  externalRef: "text",
  ipAddress: "text",
  failureCode: "text",
  failureReason: "text",
  hostId: "uuid",
  providerId: "uuid",
  access: "jsonb",
};

function rawSets(data: Record<string, unknown>): Prisma.Sql[] | null {
  const sets: Prisma.Sql[] = [];
  for (const [k, v] of Object.entries(data)) {
    if (v === undefined) continue;
    const type = RAW_COLUMNS[k];
    if (!type) return null;
    if (type === "jsonb") {
      // A JSON object or array (Prisma's null markers and scalars go through Prisma).
      if (v === null || typeof v !== "object" || Object.getPrototypeOf(v) === null || !(Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype)) return null;
      sets.push(Prisma.sql`${Prisma.raw(`"${k}"`)} = ${JSON.stringify(v)}::jsonb`);
    } else {
      if (v !== null && typeof v !== "string") return null;
      sets.push(Prisma.sql`${Prisma.raw(`"${k}"`)} = ${v}::${Prisma.raw(type)}`);
    }
  }
  return sets;
}

export async function moveMachine(
  tx: Tx,
  machine: VersionedMachine,
  to: MachineState,
  data: Omit<Prisma.MachineUncheckedUpdateManyInput, "state" | "version"> = {},
): Promise<VersionedMachine> {
  transition(machine.state, to);
  const sets = rawSets(data as Record<string, unknown>);
  if (sets) {
    // The move (conditional on version and state, as below), updatedAt as Prisma's @updatedAt
    // writes it, and machine.state_changed from the row as it is after the move.
    const [r] = await tx.$queryRaw<{ moved: number }[]>`
      with m as (
        update "Machine" set ${Prisma.join([...sets, Prisma.sql`state = ${to}::"MachineState"`], ", ")}, version = version + 1,
          "updatedAt" = (${new Date().toISOString()}::timestamptz at time zone 'utc')
        where id = ${machine.id}::uuid and version = ${machine.version}::int and state = ${machine.state}::"MachineState"
        returning id, name, "projectId", "ownerId", "ipAddress"
      ),
      ${machineStateChangedCtes(machine.state, to)}
      select (select count(*)::int from m) as moved, (select count(*)::int from j) as jobs`;
    if (r.moved !== 1) throw conflict("The machine changed in the meantime", { machineId: machine.id, expected: machine.state });
    return { id: machine.id, state: to, version: machine.version + 1 };
  }
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

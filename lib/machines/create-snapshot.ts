import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { validationError } from "../errors";
import type { createSnapshotSchema } from "./schemas";
import { assertActionAllowed, loadOperableMachine, requestOperation } from "./request-operation";

/**
 * Asks the worker to take a snapshot (operation SNAPSHOT_CREATE, params `{name}`). The name is
 * unique per machine, counting snapshots still being taken; the check runs after the
 * machine's version bump, so two concurrent requests cannot both pass it.
 */
export async function createSnapshot(ctx: Ctx, input: z.infer<typeof createSnapshotSchema>) {
  const machine = await loadOperableMachine(ctx, input.machineId);
  assertActionAllowed("SNAPSHOT_CREATE", machine);
  return requestOperation(ctx, machine, {
    kind: "SNAPSHOT_CREATE",
    params: { name: input.name },
    within: async (tx, operationId) => {
      const [existing, pending] = await Promise.all([
        tx.snapshot.count({ where: { machineId: machine.id, name: input.name } }),
        tx.operation.count({
          where: { id: { not: operationId }, machineId: machine.id, kind: "SNAPSHOT_CREATE", status: { in: ["QUEUED", "RUNNING"] }, params: { path: ["name"], equals: input.name } },
        }),
      ]);
      if (existing + pending > 0) throw validationError({ name: ["This machine already has a snapshot with this name"] });
    },
  });
}

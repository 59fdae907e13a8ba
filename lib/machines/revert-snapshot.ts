import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { conflict } from "../errors";
import type { snapshotRefSchema } from "./schemas";
import { assertActionAllowed, loadOperableMachine, requestOperation } from "./request-operation";
import { findMachineSnapshot } from "./snapshot-ref";

/** Asks the worker to revert a snapshot of the machine (operation SNAPSHOT_REVERT, params `{snapshotId}`). */
export async function revertSnapshot(ctx: Ctx, input: z.infer<typeof snapshotRefSchema>) {
  const machine = await loadOperableMachine(ctx, input.machineId);
  assertActionAllowed("SNAPSHOT_REVERT", machine);
  const snapshot = await findMachineSnapshot(ctx, machine.id, input.snapshotId);
  return requestOperation(ctx, machine, {
    kind: "SNAPSHOT_REVERT",
    params: { snapshotId: snapshot.id },
    audit: { after: { snapshotName: snapshot.name } },
    within: async (tx, operationId) => {
      // A snapshot already on its way out cannot be used or removed again.
      const deleting = await tx.operation.count({
        where: { id: { not: operationId }, machineId: machine.id, kind: "SNAPSHOT_DELETE", status: { in: ["QUEUED", "RUNNING"] }, params: { path: ["snapshotId"], equals: snapshot.id } },
      });
      if (deleting > 0) throw conflict("This snapshot is being deleted");
    },
  });
}

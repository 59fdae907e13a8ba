import "server-only";
import type { Ctx } from "../context";
import { notFound } from "../errors";

/** A snapshot of this machine, or NOT_FOUND (ids of other machines' snapshots included). */
export async function findMachineSnapshot(ctx: Ctx, machineId: string, snapshotId: string) {
  const snapshot = await ctx.db.snapshot.findFirst({ where: { id: snapshotId, machineId } });
  if (!snapshot) throw notFound("Snapshot");
  return snapshot;
}

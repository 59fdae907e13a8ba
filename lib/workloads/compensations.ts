// What a workload operation gives back when it ends without succeeding (failed for good, or
// cancelled while queued), in the transaction that ends it. A scale up reserved its extra
// replicas at request time: they are released and the desired count goes back; a rollout's
// image goes back to the one that was running. A failed deploy gives back everything (engine).
import type { Prisma, Tx } from "../db/client";
import { releaseWorkloadQuota } from "./reservation";

const paramsOf = (op: { params: Prisma.JsonValue }) => (op.params && typeof op.params === "object" && !Array.isArray(op.params) ? op.params : {}) as Record<string, unknown>;

export async function compensateWorkload(tx: Tx, op: { kind: string; workloadId: string; params: Prisma.JsonValue }): Promise<void> {
  const p = paramsOf(op);
  if (op.kind === "SCALE" && typeof p.replicas === "number" && typeof p.previousReplicas === "number") {
    const w = await tx.workload.findUniqueOrThrow({ where: { id: op.workloadId } });
    const extra = p.replicas - p.previousReplicas;
    // Only what this operation reserved, and only if it is still held (not released since).
    if (extra > 0 && w.releasedAt === null && w.reservedReplicas >= p.replicas) {
      await releaseWorkloadQuota(tx, w.projectId, w, extra);
      await tx.workload.update({ where: { id: w.id }, data: { reservedReplicas: w.reservedReplicas - extra, replicas: p.previousReplicas } });
    } else if (w.replicas === p.replicas) {
      await tx.workload.update({ where: { id: w.id }, data: { replicas: p.previousReplicas } });
    }
  }
  if (op.kind === "ROLLOUT" && typeof p.previousImage === "string") {
    await tx.workload.update({ where: { id: op.workloadId }, data: { image: p.previousImage } });
  }
}

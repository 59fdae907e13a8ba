// The one way a workload operation is requested (web side and worker), in the caller's
// transaction: check the state against the table, move the workload into the transitional
// state with a version check (0 rows = CONFLICT) or bump its version, cancel what the spec
// cancels (giving back what it reserved), create the row and make sure the workload's job runs.
import type { Prisma, Tx } from "../db/client";
import type { WorkloadOperationKind, WorkloadState } from "../generated/prisma/enums";
import { conflict, validationError } from "../errors";
import { enqueueWorkload } from "./enqueue";
import { compensateWorkload } from "./compensations";
import { WORKLOAD_OPERATION_SPECS } from "./workload-specs";

export interface VersionedWorkload {
  id: string;
  state: WorkloadState;
  version: number;
}

export async function lockWorkload(tx: Tx, id: string) {
  await tx.$queryRaw`select id from "Workload" where id = ${id}::uuid for update`;
  return tx.workload.findUniqueOrThrow({ where: { id } });
}

/** Moves a workload to `to` if it is still as read (state and version); else CONFLICT. */
export async function moveWorkload(tx: Tx, w: VersionedWorkload, to: WorkloadState, data: Prisma.WorkloadUncheckedUpdateManyInput = {}) {
  const r = await tx.workload.updateMany({ where: { id: w.id, version: w.version, state: w.state }, data: { ...data, state: to, version: { increment: 1 } } });
  if (r.count !== 1) throw conflict("The workload changed in the meantime", { workloadId: w.id });
}

export async function createWorkloadOperation(
  tx: Tx,
  workload: VersionedWorkload,
  input: { kind: WorkloadOperationKind; params?: Record<string, unknown>; requestedById?: string | null },
) {
  const spec = WORKLOAD_OPERATION_SPECS[input.kind];
  const fromState = workload.state;
  if (!(spec.from as readonly WorkloadState[]).includes(fromState)) {
    throw conflict(`${spec.label} is not possible while the workload is ${fromState}`, { from: fromState, kind: input.kind });
  }
  const parsed = spec.params.safeParse(input.params ?? {});
  if (!parsed.success) throw validationError({ params: parsed.error.issues.map((i) => i.message) });
  if (spec.transitional) {
    await moveWorkload(tx, workload, spec.transitional);
  } else {
    const r = await tx.workload.updateMany({ where: { id: workload.id, version: workload.version, state: workload.state }, data: { version: { increment: 1 } } });
    if (r.count !== 1) throw conflict("The workload changed in the meantime", { workloadId: workload.id });
  }
  if (spec.cancelsQueued) {
    const cancelled = await tx.workloadOperation.updateManyAndReturn({
      where: { workloadId: workload.id, status: "QUEUED", kind: { not: "CLEANUP" } },
      data: { status: "CANCELLED", errorCode: "CANCELLED", error: `Cancelled by ${spec.label.toLowerCase()}`, finishedAt: new Date(), nextAttemptAt: null },
    });
    for (const op of cancelled) await compensateWorkload(tx, op);
  }
  const operation = await tx.workloadOperation.create({
    data: {
      workloadId: workload.id,
      kind: input.kind,
      status: "QUEUED",
      requestedById: input.requestedById ?? null,
      params: { ...parsed.data, fromState } as Prisma.InputJsonValue,
    },
  });
  await enqueueWorkload(tx, workload.id);
  return operation;
}

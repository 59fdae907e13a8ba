// One job per WORKLOAD (key workload-ops:<id>, queue workload:<id>), as machines have one job
// per machine: the workload's operations run strictly in seq order, and a head operation
// waiting to retry blocks the ones behind it.
import type { Tx } from "../db/client";
import { enqueueJob } from "../orchestration/enqueue";

export const WORKLOAD_OPERATIONS_TASK = "workload-operations";
export const workloadQueue = (workloadId: string) => `workload:${workloadId}`;
export const workloadJobKey = (workloadId: string) => `workload-ops:${workloadId}`;

export async function enqueueWorkload(tx: Tx, workloadId: string, runAt?: Date): Promise<void> {
  await enqueueJob(tx, WORKLOAD_OPERATIONS_TASK, { workloadId }, {
    queueName: workloadQueue(workloadId),
    jobKey: workloadJobKey(workloadId),
    runAt,
    jobKeyMode: runAt ? "replace" : "preserve_run_at",
  });
}

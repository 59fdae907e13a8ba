// Hands work to the worker through graphile-worker's queue, inside the caller's transaction:
// the Operation row and its job commit together or not at all (no lost or orphan jobs).
import type { Tx } from "../db/client";

/** The one task that runs operations; its payload names the Operation row. */
export const RUN_OPERATION_TASK = "run-operation";

/** Jobs of one machine share a queue, so its operations run strictly in series. */
export const machineQueue = (machineId: string) => `machine:${machineId}`;

export async function enqueueJob(
  tx: Tx,
  task: string,
  payload: Record<string, unknown>,
  opts: { queueName?: string; jobKey?: string; runAt?: Date; maxAttempts?: number; priority?: number } = {},
): Promise<void> {
  await tx.$executeRaw`select graphile_worker.add_job(
    ${task}::text,
    ${JSON.stringify(payload)}::json,
    queue_name => ${opts.queueName ?? null}::text,
    run_at => ${opts.runAt ?? null}::timestamptz,
    max_attempts => ${opts.maxAttempts ?? 25}::int,
    job_key => ${opts.jobKey ?? null}::text,
    priority => ${opts.priority ?? 0}::int
  )`;
}

/** Enqueues the job that runs an Operation row (provision, start, stop, ...). */
export async function enqueueOperation(tx: Tx, operation: { id: string; machineId: string }): Promise<void> {
  await enqueueJob(tx, RUN_OPERATION_TASK, { operationId: operation.id }, {
    queueName: machineQueue(operation.machineId),
    jobKey: `operation:${operation.id}`,
  });
}

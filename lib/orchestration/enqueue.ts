// Hands work to the worker through graphile-worker's queue, inside the caller's transaction:
// the Operation row and its job commit together or not at all (no lost or orphan jobs).
//
// One job per MACHINE, not per operation: the job (key machine-ops:<id>, queue machine:<id>)
// runs the machine's operations strictly in their order of creation (Operation.seq), and a
// head operation waiting to retry blocks the ones behind it. New operations only make sure
// the machine's job exists; they never bring a retry forward (job_key_mode preserve_run_at).
import type { Tx } from "../db/client";

/** The task that runs a machine's queued operations in order. */
export const MACHINE_OPERATIONS_TASK = "machine-operations";
/** The task of earlier releases (one job per operation): still honoured, it runs the operation's machine. */
export const RUN_OPERATION_TASK = "run-operation";

/** A machine's jobs share a queue, so no two run at once. */
export const machineQueue = (machineId: string) => `machine:${machineId}`;
export const machineJobKey = (machineId: string) => `machine-ops:${machineId}`;

export async function enqueueJob(
  tx: Tx,
  task: string,
  payload: Record<string, unknown>,
  opts: { queueName?: string; jobKey?: string; runAt?: Date; maxAttempts?: number; priority?: number; jobKeyMode?: "replace" | "preserve_run_at" } = {},
): Promise<void> {
  await tx.$executeRaw`select graphile_worker.add_job(
    ${task}::text,
    ${JSON.stringify(payload)}::json,
    queue_name => ${opts.queueName ?? null}::text,
    run_at => ${opts.runAt ?? null}::timestamptz,
    max_attempts => ${opts.maxAttempts ?? 25}::int,
    job_key => ${opts.jobKey ?? null}::text,
    priority => ${opts.priority ?? 0}::int,
    job_key_mode => ${opts.jobKeyMode ?? "replace"}::text
  )`;
}

/**
 * Makes sure the machine's job will run: now (a new operation; an existing job waiting for a
 * retry keeps its time) or at `runAt` (the head operation's next attempt).
 */
export async function enqueueMachine(tx: Tx, machineId: string, runAt?: Date): Promise<void> {
  await enqueueJob(tx, MACHINE_OPERATIONS_TASK, { machineId }, {
    queueName: machineQueue(machineId),
    jobKey: machineJobKey(machineId),
    runAt,
    jobKeyMode: runAt ? "replace" : "preserve_run_at",
  });
}

/**
 * The jobs of many machines in one statement (an approval of many machines): graphile-worker's
 * add_jobs takes them as one array.
 */
export async function enqueueMachines(tx: Tx, machineIds: string[]): Promise<void> {
  if (machineIds.length === 0) return;
  const specs = machineIds.map((id) => ({
    identifier: MACHINE_OPERATIONS_TASK,
    payload: { machineId: id },
    queue_name: machineQueue(id),
    job_key: machineJobKey(id),
  }));
  await tx.$executeRaw`
    select count(*) from graphile_worker.add_jobs(
      (select array_agg(row(s.identifier, s.payload, s.queue_name, null::timestamptz, 25::smallint, s.job_key, 0::smallint, null::text[])::graphile_worker.job_spec)
         from json_to_recordset(${JSON.stringify(specs)}::json) as s(identifier text, payload json, queue_name text, job_key text)),
      true)`;
}

/** Enqueues the job that runs an Operation row (its machine's job). */
export async function enqueueOperation(tx: Tx, operation: { id: string; machineId: string }): Promise<void> {
  await enqueueMachine(tx, operation.machineId);
}

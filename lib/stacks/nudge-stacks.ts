// Brings the worker's stack task (lib/stacks/stack-task.ts, every minute) forward to now, in
// the caller's transaction: called when something a stack waits for has just happened (a
// request of a stack settled: its machines run or failed; a stack machine deleted), so an
// apply moves to its next wave, and a drift is found and healed, without waiting up to a
// minute per step. The every-minute run stays for what happens outside the portal (a machine
// removed on its provider, found by the inventory sync). One job key: nudges while a run is
// pending collapse into it; a nudge during a run queues one more run after it (same queue,
// so never two at once).
import type { Tx } from "../db/client";
import { enqueueJob } from "../orchestration/enqueue";

export const STACKS_TASK = "orq-stacks";

export async function nudgeStacks(tx: Tx): Promise<void> {
  await enqueueJob(tx, STACKS_TASK, {}, { queueName: STACKS_TASK, jobKey: STACKS_TASK, jobKeyMode: "replace", maxAttempts: 1 });
}

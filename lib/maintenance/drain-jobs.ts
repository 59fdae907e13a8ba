// The jobs of host drains (lib/maintenance/drain.ts runs them): one "tick" job per host.
import type { Tx } from "../db/client";
import { enqueueJob } from "../orchestration/enqueue";

export const HOST_DRAIN_TASK = "orq-host-drain";

/** Runs the drain's next step now (or at `runAt`), one job per host. */
export async function enqueueDrainTick(tx: Tx, drainId: string, hostId: string, runAt?: Date): Promise<void> {
  // A queue per host: two ticks of one drain never run at once (each counts the moves under way).
  await enqueueJob(tx, HOST_DRAIN_TASK, { drainId }, { jobKey: `host-drain:${hostId}`, queueName: `host-drain:${hostId}`, runAt, jobKeyMode: "replace", maxAttempts: 50 });
}

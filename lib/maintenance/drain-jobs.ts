// The jobs of host drains (lib/maintenance/drain.ts runs them): one "tick" job per host.
import type { Tx } from "../db/client";
import { enqueueJob } from "../orchestration/enqueue";

export const HOST_DRAIN_TASK = "orq-host-drain";

/** Runs the drain's next step now (or at `runAt`), one job per host. */
export async function enqueueDrainTick(tx: Tx, drainId: string, hostId: string, runAt?: Date): Promise<void> {
  await enqueueJob(tx, HOST_DRAIN_TASK, { drainId }, { jobKey: `host-drain:${hostId}`, runAt, jobKeyMode: "replace", maxAttempts: 50 });
}

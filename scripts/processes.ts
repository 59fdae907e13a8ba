// How `npm start` runs its processes, shared with the tests that supervise them.
import path from "node:path";

/**
 * V8 heap flags of the worker process (issue 9: <= 300 MB during the inventory sync at 100,000
 * machines). The sync's live set is ~45 MB per provider, but with V8's defaults (16 MB
 * semi-spaces, an old space bounded only by the machine) a pass left 180-200 MB of garbage
 * before a full collection: 345 MB peak RSS. Smaller semi-spaces and a bounded old space make
 * V8 collect early: 187 MB peak (BENCHMARKS.md, "Bursts"). 384 MB of old space is 8x the live
 * set; a worker that outgrew it would die with "heap out of memory" and be restarted by the
 * supervisor. The same flags are in compose.yaml and package.json's `worker` script.
 */
export const WORKER_NODE_FLAGS = ["--max-semi-space-size=2", "--max-old-space-size=384"] as const;

/**
 * The orchestration worker as ONE node process (tsx as a loader, not the tsx CLI, which would
 * add a wrapper process): the supervisor then sees the worker's own exit code or signal, and
 * nothing is left behind when it dies.
 */
export function workerCommand(root: string): { command: string; args: string[]; cwd: string } {
  return { command: process.execPath, args: [...WORKER_NODE_FLAGS, "--conditions=react-server", "--import", "tsx", path.join(root, "scripts", "worker.ts")], cwd: root };
}

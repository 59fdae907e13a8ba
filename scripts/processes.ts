// How `npm start` runs its processes, shared with the tests that supervise them.
import path from "node:path";

/**
 * The orchestration worker as ONE node process (tsx as a loader, not the tsx CLI, which would
 * add a wrapper process): the supervisor then sees the worker's own exit code or signal, and
 * nothing is left behind when it dies.
 */
export function workerCommand(root: string): { command: string; args: string[]; cwd: string } {
  return { command: process.execPath, args: ["--conditions=react-server", "--import", "tsx", path.join(root, "scripts", "worker.ts")], cwd: root };
}

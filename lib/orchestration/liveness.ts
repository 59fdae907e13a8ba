// When a worker counts as alive: it writes a heartbeat (WorkerProcess.heartbeatAt) every
// ORQ_WORKER_HEARTBEAT_MS, and is presumed dead after three missed beats (never less than
// 2 s: a busy host delays timers). Shared by the worker's recovery and the health check.
export const DEFAULT_HEARTBEAT_MS = 5000;

export function workerStaleAfterMs(heartbeatMs: number = DEFAULT_HEARTBEAT_MS): number {
  return Math.max(heartbeatMs * 3, 2000);
}

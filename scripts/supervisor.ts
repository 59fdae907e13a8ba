// Keeps a child process running, as systemd's Restart=on-failure would: `npm start` runs the
// worker (and the web server) under it, so a crashed worker is restarted with backoff while
// the web server and the database stay up.
//
// Each child runs in its own process group (tsx and `next start` each run a second node
// process): stopping or cleaning up signals the whole group, so no grandchild outlives its
// supervisor entry (a worker left running after its tsx wrapper died would be a second worker).
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** How long this run lasted. */
  uptimeMs: number;
}

export interface BackoffOptions {
  /** Delay before the first restart (and after a run that lasted resetAfterMs). */
  initialMs: number;
  /** Delays double up to this. */
  maxMs: number;
  /** A run at least this long counts as healthy: the next restart starts from initialMs again. */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 30_000, resetAfterMs: 60_000 };

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  stdio?: StdioOptions;
  /**
   * Whether an unexpected exit is followed by a restart (default: always). When it is not,
   * `onGiveUp` is called: the caller decides (npm start stops everything).
   */
  restart?: (exit: ExitInfo) => boolean;
  backoff?: Partial<BackoffOptions>;
  /** Grace after SIGTERM before the group is killed (default 15 s). */
  stopTimeoutMs?: number;
  log: (message: string) => void;
  /** Each run, once spawned (its stdio streams are there when `stdio` pipes them). */
  onSpawn?: (child: ChildProcess) => void;
  onGiveUp?: (exit: ExitInfo) => void;
}

export interface SupervisedProcess {
  readonly name: string;
  /** The pid of the current run (the group leader), if one is running. */
  pid: () => number | undefined;
  /** Restarts so far. */
  restarts: () => number;
  /** Stops it for good: SIGTERM to its group, SIGKILL after the grace period; no restart. */
  stop: () => Promise<ExitInfo | null>;
}

export function describeExit(exit: Pick<ExitInfo, "code" | "signal">): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

const seconds = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`);
const delayText = (ms: number) => (ms < 1000 ? `${ms} ms` : seconds(ms));

/** Sends `signal` to the process group led by `pid`; false when nothing is left of it. */
export function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

export function superviseProcess(spec: ProcessSpec): SupervisedProcess {
  const backoff = { ...DEFAULT_BACKOFF, ...spec.backoff };
  const stopTimeoutMs = spec.stopTimeoutMs ?? 15_000;
  let child: ChildProcess | null = null;
  let exited: Promise<ExitInfo> | null = null;
  let restarts = 0;
  let delay = backoff.initialMs;
  let stopping = false;
  let restartTimer: NodeJS.Timeout | null = null;
  let lastExit: ExitInfo | null = null;

  const start = () => {
    const startedAt = Date.now();
    const c = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, stdio: spec.stdio ?? "inherit", detached: true });
    child = c;
    exited = new Promise<ExitInfo>((resolve) => {
      let done = false;
      const finish = (code: number | null, signal: NodeJS.Signals | null) => {
        if (done) return;
        done = true;
        // Whatever the leader left behind in its group goes with it.
        if (c.pid) signalGroup(c.pid, "SIGKILL");
        const exit = { code, signal, uptimeMs: Date.now() - startedAt };
        lastExit = exit;
        if (child === c) child = null;
        resolve(exit);
        if (!stopping) onUnexpectedExit(exit);
      };
      c.on("exit", finish);
      c.on("error", (err) => {
        spec.log(`${spec.name} could not be started: ${err.message}`);
        finish(null, null);
      });
    });
    if (c.pid) {
      spec.log(`${spec.name} started (pid ${c.pid})`);
      spec.onSpawn?.(c);
    }
  };

  const onUnexpectedExit = (exit: ExitInfo) => {
    if (!(spec.restart?.(exit) ?? true)) {
      spec.log(`${spec.name} ${describeExit(exit)} after ${seconds(exit.uptimeMs)}`);
      spec.onGiveUp?.(exit);
      return;
    }
    if (exit.uptimeMs >= backoff.resetAfterMs) delay = backoff.initialMs;
    const wait = delay;
    delay = Math.min(backoff.maxMs, delay * 2);
    restarts++;
    spec.log(`${spec.name} ${describeExit(exit)} after ${seconds(exit.uptimeMs)}; restarting in ${delayText(wait)} (restart ${restarts})`);
    restartTimer = setTimeout(() => {
      restartTimer = null;
      if (!stopping) start();
    }, wait);
  };

  start();

  return {
    name: spec.name,
    pid: () => child?.pid,
    restarts: () => restarts,
    stop: async () => {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      restartTimer = null;
      const c = child;
      const done = exited;
      if (!c || !done || c.exitCode !== null || c.signalCode !== null) return lastExit;
      signalGroup(c.pid!, "SIGTERM");
      let timer: NodeJS.Timeout | undefined;
      const exit = await Promise.race([
        done,
        new Promise<null>((r) => {
          timer = setTimeout(() => r(null), stopTimeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (exit) return exit;
      spec.log(`${spec.name} did not stop within ${seconds(stopTimeoutMs)}; killing it`);
      signalGroup(c.pid!, "SIGKILL");
      return done;
    },
  };
}

// Which handles (sockets, child processes, interval timers, timers that keep the process
// alive) were created since tracking began and are still open: what a closed driver must not
// leave behind. async_hooks sees a handle whether or not it keeps the event loop alive, so an
// idle keep-alive socket that was unref'd still counts (process.getActiveResourcesInfo would
// not show it).
import { createHook } from "node:async_hooks";

/**
 * Handle types that hold a connection, a listening socket, a process or a descriptor (plain
 * AsyncResources such as HTTPCLIENTREQUEST are left out: they are reported destroyed only when
 * garbage-collected).
 */
const HANDLE_TYPES = new Set(["TCPWRAP", "PIPEWRAP", "TLSWRAP", "TCPSERVERWRAP", "PIPESERVERWRAP", "PROCESSWRAP", "UDPWRAP", "FSEVENTWRAP", "STATWATCHER"]);

interface Tracked {
  type: string;
  resource: object;
  stack: string;
  trigger: number;
}

export interface HandleTracker {
  /** Handles created since start() that are still open (timers: intervals and ref'd ones). */
  open(): { type: string; stack: string }[];
  /** Waits up to `ms` for every tracked handle to close; returns the ones still open. */
  settle(ms: number): Promise<{ type: string; stack: string }[]>;
  stop(): void;
}

function isOpenTimer(resource: object): boolean {
  const t = resource as { _destroyed?: boolean; _repeat?: number | null; hasRef?: () => boolean };
  if (t._destroyed) return false;
  // An interval runs forever unless cleared, ref'd or not; a one-shot timer that does not keep
  // the process alive (AbortSignal.timeout's deadlines) ends on its own.
  return t._repeat != null || t.hasRef?.() === true;
}

export function trackHandles(): HandleTracker {
  const live = new Map<number, Tracked>();
  const hook = createHook({
    init(asyncId, type, _trigger, resource) {
      if (!HANDLE_TYPES.has(type) && type !== "Timeout") return;
      // Where it was made, to say which code left it open.
      const stack = (new Error().stack ?? "").split("\n").slice(3, 12).join("\n");
      live.set(asyncId, { type, resource, stack, trigger: _trigger });
    },
    destroy(asyncId) {
      live.delete(asyncId);
    },
  });
  hook.enable();
  // A TLS socket's TLSWRAP is reported destroyed only when it is garbage-collected, long after
  // its connection closed: it counts as open while the TCP (or pipe) handle made with it is.
  const transportOpen = (t: Tracked) => [...live.values()].some((o) => (o.type === "TCPWRAP" || o.type === "PIPEWRAP") && o.trigger === t.trigger);
  const open = () =>
    [...live.values()]
      .filter((t) => (t.type === "Timeout" ? isOpenTimer(t.resource) : t.type === "TLSWRAP" ? transportOpen(t) : true))
      .map((t) => ({ type: t.type, stack: t.stack }));
  return {
    open,
    async settle(ms) {
      const until = Date.now() + ms;
      for (;;) {
        // Handle destruction is reported a turn of the event loop after close.
        await new Promise((r) => setTimeout(r, 50));
        const left = open();
        if (!left.length || Date.now() >= until) return left;
      }
    },
    stop: () => hook.disable(),
  };
}

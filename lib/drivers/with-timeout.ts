// Per-operation timeouts for driver calls. The call gets an AbortSignal that fires at the
// deadline (or when the worker shuts down); a call that ignores the signal is still abandoned
// at the deadline, so a hung provider can never hold a worker forever. A timeout is a
// retryable DriverError (TIMEOUT): the provider may just be slow.
import { DriverError } from "./types";

export async function withTimeout<T>(
  ms: number,
  call: (signal: AbortSignal) => Promise<T>,
  opts: { parent?: AbortSignal; what?: string } = {},
): Promise<T> {
  const controller = new AbortController();
  const what = opts.what ?? "The provider";
  let timer: NodeJS.Timeout | undefined;
  let onParentAbort: (() => void) | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new DriverError("TIMEOUT", `${what} did not answer within ${formatMs(ms)}`, true);
      controller.abort(err);
      reject(err);
    }, ms);
    if (opts.parent) {
      onParentAbort = () => {
        const err = new DriverError("UNAVAILABLE", "The worker is shutting down; the operation will be retried", true);
        controller.abort(err);
        reject(err);
      };
      if (opts.parent.aborted) onParentAbort();
      else opts.parent.addEventListener("abort", onParentAbort, { once: true });
    }
  });
  try {
    return await Promise.race([call(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
    if (onParentAbort) opts.parent?.removeEventListener("abort", onParentAbort);
  }
}

function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

// Waiting in tests: poll a condition until it holds, with a deadline inside the test's own
// timeout (vitest's integration testTimeout is 60 s), never a fixed sleep. A wait that runs out
// throws with what it waited for and the last error seen, so a slow machine fails with that
// message rather than with a bare test timeout.
export interface WaitOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /**
   * Give up at this instant (Date.now() scale) if it comes first: several waits of one test
   * share one budget (`const budget = testBudget(50_000)`), so together they stay inside it.
   */
  deadline?: number;
  /** Poll interval (default 100 ms). */
  everyMs?: number;
}

/** An instant `ms` from now, to pass as `deadline` to every wait of a test. */
export const testBudget = (ms: number) => Date.now() + ms;

export async function waitFor<T>(
  what: string,
  fn: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  opts: WaitOptions = {},
): Promise<T> {
  const started = Date.now();
  const end = Math.min(started + (opts.timeoutMs ?? 10_000), opts.deadline ?? Infinity);
  const everyMs = opts.everyMs ?? 100;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== null && v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= end) break;
    await new Promise((r) => setTimeout(r, Math.max(1, Math.min(everyMs, end - Date.now()))));
  }
  throw new Error(`timed out after ${Date.now() - started} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
}

// Waiting in tests: poll a condition until it holds, never a fixed sleep, and never past the
// running test's own timeout. Inside a test every wait ends a little before that timeout
// (vitest's integration testTimeout is 60 s; a test may declare more), so a slow machine fails
// with "timed out waiting for <what>: <last error>" rather than a bare test timeout, and a
// wait can never outlast its test. Outside a test (hooks, scripts) only `timeoutMs` applies.
import { TestRunner } from "vitest";

export interface WaitOptions {
  /** Give up after this long; by default at the running test's deadline (30 s outside a test). */
  timeoutMs?: number;
  /** Give up at this instant (Date.now() scale) if it comes first. */
  deadline?: number;
  /** Poll interval (default 100 ms). */
  everyMs?: number;
}

/** Left between the last wait and the test's timeout, to fail with the wait's message. */
const MARGIN_MS = 2000;

/** The instant the running test times out, minus a margin; undefined outside a test. */
export function testDeadline(): number | undefined {
  const test = TestRunner.getCurrentTest();
  const start = test?.result?.startTime;
  if (!test || !start || !test.timeout || !Number.isFinite(test.timeout)) return undefined;
  return start + test.timeout - Math.min(MARGIN_MS, test.timeout / 10);
}

export async function waitFor<T>(
  what: string,
  fn: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  opts: WaitOptions = {},
): Promise<T> {
  const started = Date.now();
  const inTest = testDeadline();
  const end = Math.min(started + (opts.timeoutMs ?? (inTest ? Infinity : 30_000)), opts.deadline ?? Infinity, inTest ?? Infinity);
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

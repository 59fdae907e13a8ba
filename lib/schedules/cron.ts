// Cron expressions (five fields: minute hour day-of-month month day-of-week) evaluated in an
// IANA time zone, with croner (no dependencies, DST-aware). Pure: shared by forms, services
// and the worker.
import { Cron } from "croner";

/** Whether `tz` is an IANA time zone this runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return tz.length > 0;
  } catch {
    return false;
  }
}

function cron(expr: string, timeZone: string): Cron {
  return new Cron(expr.trim(), { timezone: timeZone, paused: true, mode: "5-part" });
}

/** Null when valid, else why not (in English; forms show their own message). */
export function cronProblem(expr: string): string | null {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) return "A cron expression has five fields: minute hour day month weekday";
  try {
    cron(expr, "UTC");
    return null;
  } catch (err) {
    return (err as Error).message.replace(/^CronPattern:\s*/, "");
  }
}

/** The first occurrence strictly after `after`, or null (an expression that never fires again). */
export function nextOccurrence(expr: string, timeZone: string, after: Date): Date | null {
  return cron(expr, timeZone).nextRun(after);
}

/** The next `n` occurrences after `after`. */
export function nextOccurrences(expr: string, timeZone: string, after: Date, n: number): Date[] {
  return cron(expr, timeZone).nextRuns(n, after);
}

/** The latest occurrence at or before `ref`, or null. */
export function previousOccurrence(expr: string, timeZone: string, ref: Date): Date | null {
  // previousRuns looks strictly before its reference, at whole seconds: a second later includes `ref`.
  const found = cron(expr, timeZone).previousRuns(1, new Date(ref.getTime() + 1000))[0] ?? null;
  return found && found.getTime() <= ref.getTime() ? found : cron(expr, timeZone).previousRuns(1, ref)[0] ?? null;
}

/**
 * A window that opens at each occurrence of `expr` and lasts `minutes`: whether it is open at
 * `now`, and when it next opens (or closes, when open).
 */
export function windowAt(expr: string, minutes: number, timeZone: string, now: Date): { open: boolean; opensAt: Date | null; closesAt: Date | null } {
  const prev = previousOccurrence(expr, timeZone, now);
  if (prev && prev.getTime() + minutes * 60_000 > now.getTime()) return { open: true, opensAt: prev, closesAt: new Date(prev.getTime() + minutes * 60_000) };
  const next = nextOccurrence(expr, timeZone, now);
  return { open: false, opensAt: next, closesAt: next ? new Date(next.getTime() + minutes * 60_000) : null };
}

/** The zones a form offers: every IANA zone this runtime knows, UTC, and `current` (kept even if unknown here). */
export function timeZoneChoices(current?: string | null): string[] {
  const zones = new Set<string>(typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : []);
  zones.add("UTC");
  if (current) zones.add(current);
  return [...zones].sort((a, b) => (a === "UTC" ? -1 : b === "UTC" ? 1 : a.localeCompare(b)));
}

// Lease end dates: a calendar date (YYYY-MM-DD, UTC); the lease ends at the end of that day.
// Shared by the form (immediate feedback) and submit-request (the check that counts).

const DAY_MS = 24 * 60 * 60 * 1000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The instant a lease given as a date ends: the last millisecond of that UTC day. */
export function leaseEndFromDate(date: string): Date {
  return new Date(`${date}T23:59:59.999Z`);
}

/** The first and last dates a lease may end on, given the clock and the project's limit. */
export function leaseDateBounds(now: Date, maxLeaseDays: number | null): { min: string; max: string | null } {
  return {
    min: isoDay(new Date(now.getTime() + DAY_MS)),
    max: maxLeaseDays === null ? null : isoDay(new Date(now.getTime() + maxLeaseDays * DAY_MS)),
  };
}

/**
 * Why a lease end date is not acceptable (a message key), or null when it is. A project with a
 * maximum lease requires one: leaving the date empty must not be a way around the maximum.
 */
export function leaseProblem(
  date: string | null | undefined,
  now: Date,
  maxLeaseDays: number | null,
): "leaseRequired" | "leaseInPast" | "leaseTooLong" | null {
  if (!date) return maxLeaseDays === null ? null : "leaseRequired";
  const { min, max } = leaseDateBounds(now, maxLeaseDays);
  if (date < min) return "leaseInPast";
  if (max !== null && date > max) return "leaseTooLong";
  return null;
}

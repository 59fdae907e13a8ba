// Calendar days and months of the cost reports, in the portal's time zone (ORQ_TIME_ZONE, the
// one dates are shown in): a budget month starts at local midnight on the 1st. Pure.
import { zonedDayStart } from "../audit/time-range";

export const costTimeZone = (env: Record<string, string | undefined> = process.env) => env.ORQ_TIME_ZONE || "UTC";

/** The local calendar day (YYYY-MM-DD) of an instant. */
export function localDay(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** The local month (YYYY-MM) of an instant. */
export const localMonth = (at: Date, timeZone: string) => localDay(at, timeZone).slice(0, 7);

export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1 + n, 1)).toISOString().slice(0, 7);
}

/** The instant a day starts. */
export const dayStart = (day: string, timeZone: string) => zonedDayStart(day, timeZone);

/** The instant a month (YYYY-MM) starts, and the instant the next one starts. */
export const monthStart = (month: string, timeZone: string) => zonedDayStart(`${month}-01`, timeZone);
export const monthEnd = (month: string, timeZone: string) => zonedDayStart(`${addMonths(month, 1)}-01`, timeZone);

/** The days of a month, first to last. */
export function daysOf(month: string): string[] {
  const out: string[] = [];
  for (let d = `${month}-01`; d.startsWith(month); d = addDays(d, 1)) out.push(d);
  return out;
}

export const isMonth = (s: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(s);

/** A calendar date as stored in a DATE column (midnight UTC). */
export const dateValue = (day: string) => new Date(`${day}T00:00:00.000Z`);
export const dayOfDateValue = (d: Date) => d.toISOString().slice(0, 10);

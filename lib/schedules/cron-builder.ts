// The schedule forms' "every day / weekdays / weekends at HH:MM" choices, as five-field cron
// expressions and back (so a schedule made from the form reads as it was entered; anything
// else is shown as its expression). Pure: used by the browser and tested alone.
export const CRON_DAYS = ["daily", "weekdays", "weekends"] as const;
export type CronDays = (typeof CRON_DAYS)[number];

const DOW: Record<CronDays, string> = { daily: "*", weekdays: "1-5", weekends: "0,6" };

/** "HH:MM" (24 h) into hour and minute, or null. */
export function parseTime(hhmm: string): { hour: number; minute: number } | null {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(hhmm.trim());
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : null;
}

/** `minute hour * * days`, or null when the time is not a valid HH:MM. */
export function buildCron(days: CronDays, hhmm: string): string | null {
  const t = parseTime(hhmm);
  return t ? `${t.minute} ${t.hour} * * ${DOW[days]}` : null;
}

/** The form's reading of an expression, or null when it is not one the form makes. */
export function describeCron(expr: string): { days: CronDays; time: string } | null {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5 || parts[2] !== "*" || parts[3] !== "*") return null;
  const [minute, hour, , , dow] = parts;
  if (!/^\d{1,2}$/.test(minute) || !/^\d{1,2}$/.test(hour) || Number(minute) > 59 || Number(hour) > 23) return null;
  const days = (Object.keys(DOW) as CronDays[]).find((d) => DOW[d] === dow || (d === "weekends" && dow === "6,0") || (d === "weekdays" && dow === "MON-FRI"));
  if (!days) return null;
  return { days, time: `${hour.padStart(2, "0")}:${minute.padStart(2, "0")}` };
}

import { describe, expect, it } from "vitest";
import { buildCron, describeCron, parseTime } from "./cron-builder";
import { cronProblem, nextOccurrence } from "./cron";

describe("schedule form cron builder", () => {
  it("builds the expressions the form offers", () => {
    expect(buildCron("weekdays", "20:00")).toBe("0 20 * * 1-5");
    expect(buildCron("daily", "07:05")).toBe("5 7 * * *");
    expect(buildCron("weekends", "9:30")).toBe("30 9 * * 0,6");
    for (const e of [buildCron("weekdays", "20:00"), buildCron("daily", "00:00"), buildCron("weekends", "23:59")]) expect(cronProblem(e!)).toBeNull();
  });

  it("refuses times that are not HH:MM", () => {
    for (const bad of ["24:00", "7", "07:60", "", "ab:cd", "07:5"]) expect(buildCron("daily", bad), bad).toBeNull();
    expect(parseTime(" 23:59 ")).toEqual({ hour: 23, minute: 59 });
  });

  it("reads back what it builds, and nothing else", () => {
    expect(describeCron("0 20 * * 1-5")).toEqual({ days: "weekdays", time: "20:00" });
    expect(describeCron("5 7 * * *")).toEqual({ days: "daily", time: "07:05" });
    expect(describeCron("30 9 * * 0,6")).toEqual({ days: "weekends", time: "09:30" });
    for (const other of ["*/15 * * * *", "0 2 1 * *", "0 2 * * 1", "0 2 * 1 *", "0 25 * * *", "0 2 * *"]) expect(describeCron(other), other).toBeNull();
  });

  it("fires a weekday schedule on weekdays only, at the time in the zone", () => {
    // Friday 2026-03-06 20:30 Lisbon (UTC+0 then): next "20:00 on weekdays" is Monday 20:00.
    const next = nextOccurrence(buildCron("weekdays", "20:00")!, "Europe/Lisbon", new Date("2026-03-06T20:30:00Z"));
    expect(next?.toISOString()).toBe("2026-03-09T20:00:00.000Z");
    // São Paulo is UTC-3: 07:00 there is 10:00 UTC.
    expect(nextOccurrence(buildCron("daily", "07:00")!, "America/Sao_Paulo", new Date("2026-03-06T12:00:00Z"))?.toISOString()).toBe("2026-03-07T10:00:00.000Z");
  });
});

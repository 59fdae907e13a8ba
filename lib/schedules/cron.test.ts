import { describe, expect, it } from "vitest";
import { cronProblem, isTimeZone, nextOccurrence, previousOccurrence, windowAt } from "./cron";

describe("cron in a time zone", () => {
  it("fires at 20:00 on weekdays in São Paulo (UTC-3)", () => {
    // Friday 2026-12-04 12:00 UTC = 09:00 local: next is 20:00 local = 23:00 UTC the same day.
    expect(nextOccurrence("0 20 * * 1-5", "America/Sao_Paulo", new Date("2026-12-04T12:00:00Z"))?.toISOString()).toBe("2026-12-04T23:00:00.000Z");
    // After Friday's run, the next is Monday.
    expect(nextOccurrence("0 20 * * 1-5", "America/Sao_Paulo", new Date("2026-12-04T23:00:00Z"))?.toISOString()).toBe("2026-12-07T23:00:00.000Z");
  });

  it("follows daylight saving time (Europe/Lisbon, 07:00 local)", () => {
    expect(nextOccurrence("0 7 * * *", "Europe/Lisbon", new Date("2026-07-01T00:00:00Z"))?.toISOString()).toBe("2026-07-01T06:00:00.000Z");
    expect(nextOccurrence("0 7 * * *", "Europe/Lisbon", new Date("2026-12-01T00:00:00Z"))?.toISOString()).toBe("2026-12-01T07:00:00.000Z");
  });

  it("includes an occurrence exactly at the reference as the previous one", () => {
    expect(previousOccurrence("0 * * * *", "UTC", new Date("2026-12-04T10:00:00Z"))?.toISOString()).toBe("2026-12-04T10:00:00.000Z");
    expect(previousOccurrence("0 * * * *", "UTC", new Date("2026-12-04T10:59:59Z"))?.toISOString()).toBe("2026-12-04T10:00:00.000Z");
  });

  it("tells whether a stop window is open", () => {
    const w = windowAt("0 2 * * *", 120, "UTC", new Date("2026-12-04T03:00:00Z"));
    expect(w.open).toBe(true);
    expect(w.closesAt?.toISOString()).toBe("2026-12-04T04:00:00.000Z");
    const c = windowAt("0 2 * * *", 120, "UTC", new Date("2026-12-04T05:00:00Z"));
    expect(c.open).toBe(false);
    expect(c.opensAt?.toISOString()).toBe("2026-12-05T02:00:00.000Z");
  });

  it("refuses malformed expressions and unknown zones", () => {
    expect(cronProblem("0 20 * * 1-5")).toBeNull();
    expect(cronProblem("0 20 * *")).toMatch(/five fields/);
    expect(cronProblem("61 * * * *")).toMatch(/minute/);
    expect(cronProblem("0 0 0 * * *")).toMatch(/five fields/);
    expect(isTimeZone("America/Sao_Paulo")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
  });
});

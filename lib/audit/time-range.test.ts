import { describe, expect, it } from "vitest";
import { isCalendarDay, zonedDayEnd, zonedDayStart } from "./time-range";

describe("zoned day bounds", () => {
  it("UTC days are midnight UTC", () => {
    expect(zonedDayStart("2026-03-01", "UTC").toISOString()).toBe("2026-03-01T00:00:00.000Z");
    expect(zonedDayEnd("2026-03-01", "UTC").toISOString()).toBe("2026-03-02T00:00:00.000Z");
    expect(zonedDayEnd("2026-12-31", "UTC").toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });
  it("follows the time zone (São Paulo is UTC-3)", () => {
    expect(zonedDayStart("2026-03-01", "America/Sao_Paulo").toISOString()).toBe("2026-03-01T03:00:00.000Z");
  });
  it("handles daylight saving changes (Berlin, last Sunday of March)", () => {
    expect(zonedDayStart("2026-03-29", "Europe/Berlin").toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(zonedDayEnd("2026-03-29", "Europe/Berlin").toISOString()).toBe("2026-03-29T22:00:00.000Z");
  });
});

describe("isCalendarDay", () => {
  it("accepts real days only", () => {
    expect(isCalendarDay("2024-02-29")).toBe(true);
    expect(isCalendarDay("2025-02-29")).toBe(false);
    expect(isCalendarDay("2025-13-01")).toBe(false);
    expect(isCalendarDay("2025-1-01")).toBe(false);
    expect(isCalendarDay("yesterday")).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { leaseDateBounds, leaseEndFromDate, leaseProblem } from "./lease";

const now = new Date("2026-03-10T15:00:00Z");

describe("lease dates", () => {
  it("ends at the end of the chosen UTC day", () => expect(leaseEndFromDate("2026-04-01").toISOString()).toBe("2026-04-01T23:59:59.999Z"));
  it("must be after today", () => {
    expect(leaseProblem("2026-03-09", now, null)).toBe("leaseInPast");
    expect(leaseProblem("2026-03-10", now, null)).toBe("leaseInPast");
    expect(leaseProblem("2026-03-11", now, null)).toBeNull();
  });
  it("must be within the project's maximum when it has one", () => {
    expect(leaseProblem("2026-04-09", now, 30)).toBeNull();
    expect(leaseProblem("2026-04-10", now, 30)).toBe("leaseTooLong");
    expect(leaseProblem("2030-01-01", now, null)).toBeNull();
  });
  it("is required when the project has a maximum, optional otherwise", () => {
    for (const empty of ["", undefined, null]) {
      expect(leaseProblem(empty, now, 30)).toBe("leaseRequired");
      expect(leaseProblem(empty, now, null)).toBeNull();
    }
  });
  it("gives the bounds for the date picker", () => {
    expect(leaseDateBounds(now, 30)).toEqual({ min: "2026-03-11", max: "2026-04-09" });
    expect(leaseDateBounds(now, null)).toEqual({ min: "2026-03-11", max: null });
  });
});

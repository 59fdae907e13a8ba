import { describe, expect, it } from "vitest";
import { expiredBy } from "./prune";

const day = 86_400_000;
const now = new Date("2026-12-10T00:00:00Z");
const ages = (...days: number[]) => days.map((d, i) => ({ id: `b${i}`, createdAt: new Date(now.getTime() - d * day) }));

describe("backup retention", () => {
  it("keeps the newest keepLast", () => {
    expect(expiredBy(ages(0, 1, 2, 3, 4), { keepLast: 3, keepDays: null }, now).map((b) => b.id)).toEqual(["b3", "b4"]);
  });
  it("expires what is older than keepDays, but never the newest", () => {
    expect(expiredBy(ages(1, 8, 9), { keepLast: 10, keepDays: 7 }, now).map((b) => b.id)).toEqual(["b1", "b2"]);
    expect(expiredBy(ages(30), { keepLast: 10, keepDays: 7 }, now)).toEqual([]);
  });
  it("keeps at least one whatever keepLast says", () => {
    expect(expiredBy(ages(0, 1), { keepLast: 0, keepDays: null }, now).map((b) => b.id)).toEqual(["b1"]);
  });
});

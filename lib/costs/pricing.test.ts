import { describe, expect, it } from "vitest";
import { HOURS_PER_MONTH, instanceFor, listAt, millicentsToCents, monthlyCents, monthlyCostOf, type PriceItemLike } from "./pricing";

const item = (kind: PriceItemLike["kind"], millicents: number, unit: PriceItemLike["unit"] = "MONTH", extra: Partial<PriceItemLike> = {}): PriceItemLike => ({
  kind,
  name: "",
  vcpu: null,
  memoryMb: null,
  unit,
  millicents,
  ...extra,
});
const inst = (name: string, vcpu: number, gib: number, perHour: number) => item("INSTANCE", perHour, "HOUR", { name, vcpu, memoryMb: gib * 1024 });

const privateModel = {
  items: [
    item("VCPU", 550_000), // 5.50 a vCPU-month
    item("MEMORY_GIB", 210_000), // 2.10 a GiB-month
    item("SSD_GB", 11_000), // 0.11 a GB-month
    item("HDD_GB", 3_500),
    item("MACHINE", 300_000), // 3.00 a machine-month
  ],
};
const medium = { vcpu: 2, memoryMb: 4096, diskGb: 80, diskTier: "SSD" as const };

describe("cost model of a private provider", () => {
  it("prices vCPU, memory, the disk of the machine's tier and the machine fee", () => {
    const c = monthlyCostOf(privateModel, medium)!;
    expect(c.compute).toBe(2 * 550_000 + 4 * 210_000 + 300_000);
    expect(c.storage).toBe(80 * 11_000);
    expect(c.instanceType).toBeNull();
    expect(monthlyCents(c)).toBe(3120); // 11.00 + 8.40 + 3.00 + 8.80
  });

  it("uses the HDD rate for an HDD disk, and fractional GiB of memory", () => {
    const c = monthlyCostOf(privateModel, { vcpu: 1, memoryMb: 1536, diskGb: 200, diskTier: "HDD" })!;
    expect(c.compute).toBe(550_000 + 1.5 * 210_000 + 300_000);
    expect(c.storage).toBe(200 * 3_500);
  });

  it("converts hourly rates with 730 hours a month", () => {
    const c = monthlyCostOf({ items: [item("VCPU", 1_000, "HOUR"), item("SSD_GB", 10, "HOUR")] }, medium)!;
    expect(c.compute).toBe(2 * 1_000 * HOURS_PER_MONTH);
    expect(c.storage).toBe(80 * 10 * HOURS_PER_MONTH);
  });
});

describe("list prices of a public cloud", () => {
  const cloud = { items: [inst("t3.medium", 2, 4, 4_560), inst("m6i.large", 2, 8, 10_700), inst("t3.small", 2, 2, 2_280), item("SSD_GB", 8_800)] };

  it("runs a machine as the cheapest instance type with enough vCPUs and memory", () => {
    expect(instanceFor(cloud, { vcpu: 2, memoryMb: 4096 })?.name).toBe("t3.medium");
    expect(instanceFor(cloud, { vcpu: 2, memoryMb: 4097 })?.name).toBe("m6i.large");
    expect(instanceFor(cloud, { vcpu: 1, memoryMb: 1024 })?.name).toBe("t3.small");
  });

  it("adds the volume price and ignores vCPU and memory rates", () => {
    const c = monthlyCostOf({ items: [...cloud.items, item("VCPU", 99_999_999)] }, medium)!;
    expect(c.instanceType).toBe("t3.medium");
    expect(c.compute).toBe(4_560 * HOURS_PER_MONTH);
    expect(c.storage).toBe(80 * 8_800);
  });

  it("cannot price a machine bigger than every instance type", () => {
    expect(monthlyCostOf(cloud, { ...medium, vcpu: 16 })).toBeNull();
  });
});

describe("rounding and versions", () => {
  it("rounds millicents to cents half away from zero", () => {
    expect(millicentsToCents(1_499)).toBe(1);
    expect(millicentsToCents(1_500)).toBe(2);
    expect(millicentsToCents(-1_500)).toBe(-2);
  });

  it("finds the list in force at an instant", () => {
    const lists = [{ effectiveFrom: new Date("2026-01-01T00:00:00Z"), v: 1 }, { effectiveFrom: new Date("2026-02-01T00:00:00Z"), v: 2 }];
    expect(listAt(lists, new Date("2025-12-31T23:59:59Z"))).toBeNull();
    expect(listAt(lists, new Date("2026-01-31T23:59:59Z"))?.v).toBe(1);
    expect(listAt(lists, new Date("2026-02-01T00:00:00Z"))?.v).toBe(2);
  });
});

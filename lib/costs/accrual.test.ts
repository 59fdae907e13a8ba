import { describe, expect, it } from "vitest";
import { accrueInterval, roundWithCarry, type BillingEvent, type MeterState } from "./accrual";
import { HOURS_PER_MONTH, type PriceList } from "./pricing";

const P = "11111111-1111-1111-1111-111111111111";
const at = (iso: string) => new Date(`2026-03-10T${iso}Z`);
// 730 000 millicents a vCPU-month = 1 000 millicents a vCPU-hour; 73 000 a GB-month = 100 a GB-hour.
const v1: PriceList = {
  versionId: "v1",
  effectiveFrom: new Date("2026-01-01T00:00:00Z"),
  items: [
    { kind: "VCPU", name: "", vcpu: null, memoryMb: null, unit: "MONTH", millicents: 1_000 * HOURS_PER_MONTH },
    { kind: "SSD_GB", name: "", vcpu: null, memoryMb: null, unit: "MONTH", millicents: 100 * HOURS_PER_MONTH },
  ],
};
const prices = (lists: PriceList[]) => (id: string) => (id === P ? lists : []);
const size = { vcpu: 2, memoryMb: 4096, diskGb: 10, diskTier: "SSD" as const };
const off: MeterState = { live: false, powered: false, providerId: P, offeringId: "o1", size };
const running: MeterState = { ...off, live: true, powered: true };
const seq = (n: number) => BigInt(n);
// Per hour: compute 2 x 1000 = 2000, storage 10 x 100 = 1000.

describe("accrual across state changes", () => {
  it("accrues nothing before the machine is provisioned, then compute and storage by the hour", () => {
    const events: BillingEvent[] = [{ kind: "PROVISION", at: at("10:30:00"), seq: seq(1), providerId: P }];
    const r = accrueInterval(off, at("10:00:00"), at("12:00:00"), events, prices([v1]));
    expect(r.buckets.map((b) => [b.hour.toISOString(), b.compute, b.storage, b.poweredMs / 1000])).toEqual([
      ["2026-03-10T10:00:00.000Z", 1000, 500, 1800],
      ["2026-03-10T11:00:00.000Z", 2000, 1000, 3600],
    ]);
    expect(r.state).toMatchObject({ live: true, powered: true });
    expect(r.lastSeq).toBe(seq(1));
  });

  it("accrues only storage while stopped, and nothing after delete", () => {
    const events: BillingEvent[] = [
      { kind: "STOP", at: at("10:15:00"), seq: seq(2) },
      { kind: "START", at: at("10:45:00"), seq: seq(3) },
      { kind: "DELETE", at: at("11:30:00"), seq: seq(4) },
    ];
    const r = accrueInterval(running, at("10:00:00"), at("13:00:00"), events, prices([v1]));
    // 10:00-11:00: powered 30 min (15 + 15), stored 60; 11:00-11:30 powered and stored.
    expect(r.buckets.map((b) => [b.compute, b.storage, b.liveMs / 1000])).toEqual([
      [1000, 1000, 3600],
      [1000, 500, 1800],
    ]);
    expect(r.state).toMatchObject({ live: false, powered: false });
  });

  it("charges the new size from the moment a resize finished", () => {
    const events: BillingEvent[] = [{ kind: "RESIZE", at: at("10:30:00"), seq: seq(5), size: { ...size, vcpu: 4, diskGb: 20 }, offeringId: "o2" }];
    const r = accrueInterval(running, at("10:00:00"), at("11:00:00"), events, prices([v1]));
    expect(r.buckets).toHaveLength(1);
    expect(r.buckets[0].compute).toBe(1000 + 2000);
    expect(r.buckets[0].storage).toBe(500 + 1000);
    expect(r.buckets[0].offeringId).toBe("o2");
    expect(r.state.size.vcpu).toBe(4);
  });

  it("splits an hour at a new price version and never reprices time before it", () => {
    const v2: PriceList = { ...v1, versionId: "v2", effectiveFrom: at("10:20:00"), items: v1.items.map((i) => ({ ...i, millicents: i.millicents * 3 })) };
    const r = accrueInterval(running, at("10:00:00"), at("11:00:00"), [], prices([v1, v2]));
    // 20 min at the old prices, 40 min at three times them.
    expect(r.buckets[0].compute).toBeCloseTo(2000 / 3 + 3 * 2000 * (2 / 3), 9);
    const before = accrueInterval(running, at("10:00:00"), at("10:20:00"), [], prices([v1]));
    const withV2 = accrueInterval(running, at("10:00:00"), at("10:20:00"), [], prices([v1, v2]));
    expect(withV2.buckets[0].compute).toBe(before.buckets[0].compute);
  });

  it("accrues nothing while no price list is in force, but still counts the hours", () => {
    const r = accrueInterval(running, at("10:00:00"), at("11:00:00"), [], prices([]));
    expect(r.buckets[0]).toMatchObject({ compute: 0, storage: 0, poweredMs: 3_600_000 });
  });

  it("applies a late-committed operation at the start, and leaves later ones for the next run", () => {
    const events: BillingEvent[] = [
      { kind: "STOP", at: at("09:59:00"), seq: seq(6) },
      { kind: "START", at: at("11:30:00"), seq: seq(7) },
    ];
    const r = accrueInterval(running, at("10:00:00"), at("11:00:00"), events, prices([v1]));
    expect(r.buckets[0].compute).toBe(0);
    expect(r.buckets[0].storage).toBe(1000);
    expect(r.lastSeq).toBe(seq(6));
    expect(r.state.powered).toBe(false);
  });

  it("gives the same total however the interval is cut into runs", () => {
    const events: BillingEvent[] = [
      { kind: "STOP", at: at("10:07:13"), seq: seq(1) },
      { kind: "START", at: at("10:41:59"), seq: seq(2) },
    ];
    const whole = accrueInterval(running, at("10:00:00"), at("12:00:00"), events, prices([v1]));
    let state = running;
    let from = at("10:00:00");
    let total = 0;
    for (const t of ["10:05:00", "10:10:00", "10:55:00", "11:20:00", "12:00:00"]) {
      const r = accrueInterval(state, from, at(t), events.filter((e) => e.at > from), prices([v1]));
      total += r.buckets.reduce((a, b) => a + b.compute + b.storage, 0);
      state = r.state;
      from = at(t);
    }
    const sum = whole.buckets.reduce((a, b) => a + b.compute + b.storage, 0);
    expect(total).toBeCloseTo(sum, 6);
  });
});

describe("rounding with carry", () => {
  it("keeps the running total within half a millicent of the exact sum", () => {
    const parts = Array.from({ length: 1000 }, () => 0.4);
    const { rounded, carry } = roundWithCarry(parts, 0);
    const sum = rounded.reduce((a, b) => a + b, 0);
    expect(Math.abs(sum - 400)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(carry)).toBeLessThanOrEqual(0.5);
  });
});

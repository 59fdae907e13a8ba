// Accrual, pure: a machine's cost between two instants, split into clock hours, from what it
// was billed for at the start (its meter) and the operations that changed that in between.
//
// The billing state follows the machine's succeeded operations (their finishedAt):
// PROVISION -> exists and powered on, on its provider; STOP -> powered off (storage only);
// START -> powered on; RESIZE -> the new reservation (and offering); DELETE -> gone.
// Failed or cancelled operations changed nothing. Prices come from the provider's price list
// in force at each instant, so an interval that spans a new price version is split there.
import type { MachineSize, PriceList } from "./pricing";
import { HOURS_PER_MONTH, listAt, monthlyCostOf, type MonthlyCost } from "./pricing";

export interface MeterState {
  live: boolean;
  powered: boolean;
  providerId: string | null;
  offeringId: string;
  size: MachineSize;
}

export type BillingEvent =
  | { kind: "PROVISION"; at: Date; seq: bigint; providerId: string | null }
  | { kind: "START" | "STOP" | "DELETE"; at: Date; seq: bigint }
  | { kind: "RESIZE"; at: Date; seq: bigint; size: MachineSize; offeringId: string };

export function applyEvent(s: MeterState, e: BillingEvent): MeterState {
  switch (e.kind) {
    case "PROVISION":
      return { ...s, live: true, powered: true, providerId: e.providerId ?? s.providerId };
    case "START":
      return s.live ? { ...s, powered: true } : s;
    case "STOP":
      return { ...s, powered: false };
    case "DELETE":
      return { ...s, live: false, powered: false };
    case "RESIZE":
      return { ...s, size: e.size, offeringId: e.offeringId };
  }
}

export interface Bucket {
  /** Start of the clock hour (UTC). */
  hour: Date;
  /** Millicents, fractional (rounded when written: roundWithCarry). */
  compute: number;
  storage: number;
  poweredMs: number;
  liveMs: number;
  /** Who the hour is charged to: the provider and offering of its last accrued moment. */
  providerId: string;
  offeringId: string;
}

export interface AccrualResult {
  buckets: Bucket[];
  state: MeterState;
  /** The last event applied (null: none). */
  lastSeq: bigint | null;
  /** Accrued up to here (= until). */
  until: Date;
}

const HOUR_MS = 3_600_000;
const hourStart = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;

/** Price lists of a provider, oldest first; an empty list: not priced. */
export type PriceLookup = (providerId: string) => readonly PriceList[];

/**
 * Accrues [from, until): events are the machine's billing events after its meter, in
 * operation order; one that finished before `from` (committed late) takes effect at `from`,
 * and one that finished after `until` is left for the next run (with every event after it).
 */
export function accrueInterval(state: MeterState, from: Date, until: Date, events: readonly BillingEvent[], prices: PriceLookup): AccrualResult {
  const buckets = new Map<number, Bucket>();
  const costCache = new Map<string, MonthlyCost | null>();
  const costFor = (list: PriceList, size: MachineSize) => {
    const key = `${list.versionId}:${size.vcpu}:${size.memoryMb}:${size.diskGb}:${size.diskTier}`;
    if (!costCache.has(key)) costCache.set(key, monthlyCostOf(list, size));
    return costCache.get(key)!;
  };

  const segment = (s: MeterState, a: number, b: number) => {
    if (!s.live || !s.providerId || b <= a) return;
    const lists = prices(s.providerId);
    // Breakpoints: clock hours and the start of each price version.
    const cuts = new Set<number>([a, b]);
    for (let h = hourStart(a) + HOUR_MS; h < b; h += HOUR_MS) cuts.add(h);
    for (const l of lists) {
      const t = l.effectiveFrom.getTime();
      if (t > a && t < b) cuts.add(t);
    }
    const points = [...cuts].sort((x, y) => x - y);
    for (let i = 0; i < points.length - 1; i++) {
      const p = points[i];
      const q = points[i + 1];
      const ms = q - p;
      const h = hourStart(p);
      let bucket = buckets.get(h);
      if (!bucket) {
        bucket = { hour: new Date(h), compute: 0, storage: 0, poweredMs: 0, liveMs: 0, providerId: s.providerId, offeringId: s.offeringId };
        buckets.set(h, bucket);
      }
      bucket.providerId = s.providerId;
      bucket.offeringId = s.offeringId;
      bucket.liveMs += ms;
      if (s.powered) bucket.poweredMs += ms;
      const list = listAt(lists, new Date(p));
      const cost = list ? costFor(list, s.size) : null;
      if (!cost) continue;
      const hours = ms / HOUR_MS;
      bucket.storage += (cost.storage / HOURS_PER_MONTH) * hours;
      if (s.powered) bucket.compute += (cost.compute / HOURS_PER_MONTH) * hours;
    }
  };

  let t = from.getTime();
  const end = until.getTime();
  let s = state;
  let lastSeq: bigint | null = null;
  for (const e of events) {
    const at = e.at.getTime();
    if (at > end) break;
    const when = Math.max(at, t);
    segment(s, t, when);
    t = when;
    s = applyEvent(s, e);
    lastSeq = e.seq;
  }
  segment(s, t, end);
  return { buckets: [...buckets.values()].sort((x, y) => x.hour.getTime() - y.hour.getTime()), state: s, lastSeq, until: new Date(Math.max(end, t)) };
}

/**
 * Rounds each bucket's amount to whole millicents, carrying what rounding leaves into the
 * next (and out, for the next run): the running total never strays from the exact sum by more
 * than half a millicent.
 */
export function roundWithCarry(amounts: readonly number[], carry: number): { rounded: number[]; carry: number } {
  const rounded: number[] = [];
  let c = carry;
  for (const a of amounts) {
    const exact = a + c;
    const r = Math.round(exact);
    rounded.push(r);
    c = exact - r;
  }
  return { rounded, carry: c };
}

// vSphere metrics through the PerformanceManager (pure half; the driver's metrics() does the
// I/O): the counter catalogue (the manager's `perfCounter` property) gives the numeric keys of
// the counters by name, QueryPerf asks for the latest real-time sample (20-s interval) of a VM's
// aggregate instance ("") of each, and the answer becomes a MachineMetricsReading with rates.
// Why not QueryPerfCounter: the catalogue property is what govc reads too (one round trip, and
// vcsim's QueryPerfCounter crashes). Units: cpu.usage and mem.usage in hundredths of a percent,
// mem.consumed in KB, disk and net in KB/s (vSphere's KB are 1024 bytes).
import type { MachineMetricsReading } from "../types";
import { kid, kids, mor, num, text, type MoRef, type XmlFields, type XNode } from "./soap";

/** The counters a reading is built from ("group.name.rollup"). */
export const PERF_COUNTERS = {
  cpu: "cpu.usage.average",
  memConsumed: "mem.consumed.average",
  memUsage: "mem.usage.average",
  diskRead: "disk.read.average",
  diskWrite: "disk.write.average",
  netIn: "net.received.average",
  netOut: "net.transmitted.average",
} as const;
export type PerfCounterName = keyof typeof PERF_COUNTERS;

/** vSphere's real-time statistics interval (seconds). */
export const REALTIME_INTERVAL = 20;

/** The PerformanceManager's counter catalogue (ArrayOfPerfCounterInfo) as "group.name.rollup" -> key. */
export function counterKeys(perfCounter: XNode | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of kids(perfCounter, "PerfCounterInfo")) {
    const key = num(kid(c, "key"));
    const group = text(kid(kid(c, "groupInfo"), "key"));
    const name = text(kid(kid(c, "nameInfo"), "key"));
    const rollup = text(kid(c, "rollupType"));
    if (key === undefined || !group || !name || !rollup) continue;
    const full = `${group}.${name}.${rollup}`;
    // The first one of a name wins (vCenter lists each once; be deterministic anyway).
    if (!out.has(full)) out.set(full, key);
  }
  return out;
}

/** The keys of the counters a reading needs that this vCenter knows. */
export function wantedCounters(keys: Map<string, number>): Partial<Record<PerfCounterName, number>> {
  const out: Partial<Record<PerfCounterName, number>> = {};
  for (const [k, name] of Object.entries(PERF_COUNTERS) as [PerfCounterName, string][]) {
    const key = keys.get(name);
    if (key !== undefined) out[k] = key;
  }
  return out;
}

/** QueryPerf's arguments: the latest real-time sample of each counter, aggregate instance (PerfQuerySpec in WSDL order). */
export function queryPerfArgs(entity: MoRef, counterIds: number[]): { querySpec: XmlFields[] } {
  return {
    querySpec: [
      {
        entity: mor(entity),
        maxSample: 1,
        metricId: counterIds.map((counterId) => ({ counterId, instance: "" })),
        intervalId: REALTIME_INTERVAL,
        format: "normal",
      },
    ],
  };
}

/**
 * The latest value of each counter in a QueryPerf answer (the answer's `returnval` elements), by
 * counter key, with the sample's time and interval; null when the answer holds no sample (a VM
 * without real-time statistics, e.g. powered off). Samples may come in either order: the newest
 * is taken. Negative values (vSphere's -1 "no value") are dropped.
 */
export function latestPerfValues(returnvals: XNode[]): { at: Date; intervalSeconds: number; values: Map<number, number> } | null {
  const metric = returnvals[0];
  const infos = kids(metric, "sampleInfo").map((s) => ({ at: Date.parse(text(kid(s, "timestamp")) ?? ""), interval: num(kid(s, "interval")) }));
  if (!infos.length) return null;
  let newest = 0;
  for (let i = 1; i < infos.length; i++) if ((infos[i].at || 0) > (infos[newest].at || 0)) newest = i;
  const info = infos[newest];
  if (!Number.isFinite(info.at)) return null;
  const values = new Map<number, number>();
  for (const series of kids(metric, "value")) {
    const id = num(kid(kid(series, "id"), "counterId"));
    const instance = text(kid(kid(series, "id"), "instance")) ?? "";
    if (id === undefined || instance !== "") continue;
    const v = num(kids(series, "value")[newest]);
    if (v !== undefined && v >= 0) values.set(id, v);
  }
  return { at: new Date(info.at), intervalSeconds: info.interval && info.interval > 0 ? info.interval : REALTIME_INTERVAL, values };
}

/**
 * A reading from the latest values; null when none of the counters answered. memoryMb: the
 * VM's configured memory (the total, and the base of mem.usage when mem.consumed is absent).
 */
export function readingFromPerf(
  sample: { at: Date; intervalSeconds: number; values: Map<number, number> } | null,
  counters: Partial<Record<PerfCounterName, number>>,
  memoryMb: number | undefined,
): MachineMetricsReading | null {
  if (!sample) return null;
  const v = (k: PerfCounterName) => (counters[k] === undefined ? undefined : sample.values.get(counters[k]!));
  const cpu = v("cpu");
  const consumed = v("memConsumed");
  const usage = v("memUsage");
  if (cpu === undefined && consumed === undefined && usage === undefined) return null;
  const totalBytes = memoryMb ? memoryMb * 1024 * 1024 : undefined;
  const memoryUsedBytes = consumed !== undefined ? consumed * 1024 : usage !== undefined && totalBytes ? (usage / 10_000) * totalBytes : 0;
  const kbps = (k: PerfCounterName) => (v(k) ?? 0) * 1024;
  return {
    at: sample.at,
    ...(cpu !== undefined ? { cpuPercent: Math.min(100, cpu / 100) } : {}),
    memoryUsedBytes: totalBytes ? Math.min(memoryUsedBytes, totalBytes) : memoryUsedBytes,
    ...(totalBytes ? { memoryTotalBytes: totalBytes } : {}),
    diskReadBytes: 0,
    diskWriteBytes: 0,
    netInBytes: 0,
    netOutBytes: 0,
    rates: {
      seconds: sample.intervalSeconds,
      diskReadBps: kbps("diskRead"),
      diskWriteBps: kbps("diskWrite"),
      netInBps: kbps("netIn"),
      netOutBps: kbps("netOut"),
    },
  };
}

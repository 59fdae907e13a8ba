// Two readings of a machine's counters (lib/drivers/types.ts MachineMetricsReading) into one
// sample: CPU utilisation over the interval, memory in use, and the disk and network amounts
// since the previous reading. A counter that went backwards (the machine restarted, the
// container was recreated) starts again from zero: the amount is the new counter itself.
import type { MachineMetricsReading } from "../drivers/types";

export interface MetricValues {
  /** null: not known yet (a driver that reports only CPU time, on its first reading). */
  cpuPercent: number | null;
  memoryUsedBytes: number;
  memoryTotalBytes: number | null;
  diskReadBytes: number;
  diskWriteBytes: number;
  netInBytes: number;
  netOutBytes: number;
}

/** The counters kept with a raw sample, so the next reading can be turned into amounts. */
export interface MetricCounters {
  at: string;
  cpuTimeNs?: number;
  diskReadBytes: number;
  diskWriteBytes: number;
  netInBytes: number;
  netOutBytes: number;
}

export function countersOf(r: MachineMetricsReading): MetricCounters {
  return {
    at: r.at.toISOString(),
    ...(r.cpuTimeNs !== undefined ? { cpuTimeNs: r.cpuTimeNs } : {}),
    diskReadBytes: r.diskReadBytes,
    diskWriteBytes: r.diskWriteBytes,
    netInBytes: r.netInBytes,
    netOutBytes: r.netOutBytes,
  };
}

const since = (cur: number, prev: number | undefined) => (prev === undefined ? 0 : cur >= prev ? cur - prev : cur);
const clampPct = (v: number) => Math.min(100, Math.max(0, v));

/**
 * The sample `cur` makes after `prev` (null: the first reading, so the amounts are zero and the
 * CPU utilisation is the driver's own figure, or unknown: null). vcpu: the machine's reservation.
 */
export function sampleFrom(prev: MetricCounters | null, cur: MachineMetricsReading, vcpu: number): MetricValues {
  let cpuPercent: number | null = cur.cpuPercent !== undefined ? clampPct(cur.cpuPercent) : null;
  if (cpuPercent === null && prev && prev.cpuTimeNs !== undefined && cur.cpuTimeNs !== undefined) {
    const wallNs = (cur.at.getTime() - Date.parse(prev.at)) * 1e6;
    const cpus = Math.max(1, cur.vcpu ?? vcpu);
    if (wallNs > 0) cpuPercent = clampPct((since(cur.cpuTimeNs, prev.cpuTimeNs) / (wallNs * cpus)) * 100);
  }
  if (cur.rates) {
    // The provider's own averages: bytes per second times the time this sample covers (the
    // provider's interval for the first one, or when the clock did not move forward).
    const elapsed = prev ? (cur.at.getTime() - Date.parse(prev.at)) / 1000 : 0;
    const seconds = elapsed > 0 ? elapsed : cur.rates.seconds;
    const amount = (bps: number) => Math.max(0, bps) * seconds;
    return {
      cpuPercent,
      memoryUsedBytes: cur.memoryUsedBytes,
      memoryTotalBytes: cur.memoryTotalBytes ?? null,
      diskReadBytes: amount(cur.rates.diskReadBps),
      diskWriteBytes: amount(cur.rates.diskWriteBps),
      netInBytes: amount(cur.rates.netInBps),
      netOutBytes: amount(cur.rates.netOutBps),
    };
  }
  return {
    cpuPercent,
    memoryUsedBytes: cur.memoryUsedBytes,
    memoryTotalBytes: cur.memoryTotalBytes ?? null,
    diskReadBytes: since(cur.diskReadBytes, prev?.diskReadBytes),
    diskWriteBytes: since(cur.diskWriteBytes, prev?.diskWriteBytes),
    netInBytes: since(cur.netInBytes, prev?.netInBytes),
    netOutBytes: since(cur.netOutBytes, prev?.netOutBytes),
  };
}

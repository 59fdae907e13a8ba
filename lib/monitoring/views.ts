// What the machine metrics verb answers (browser-safe types).
import type { MetricRange } from "./schemas";

export interface MetricPoint {
  /** Start of the sample's interval (RAW: when it was read). ISO. */
  at: string;
  cpuPercent: number | null;
  memoryUsedBytes: number;
  memoryTotalBytes: number | null;
  /** Bytes per second over the point's interval. */
  diskReadBps: number;
  diskWriteBps: number;
  netInBps: number;
  netOutBps: number;
}

export interface MachineMetrics {
  machineId: string;
  range: MetricRange;
  resolution: "RAW" | "M5" | "H1";
  /** Seconds one point covers. */
  stepSeconds: number;
  /** false: the machine's provider does not report metrics (no capability) or it is not placed. */
  supported: boolean;
  points: MetricPoint[];
}

// EC2 metrics through CloudWatch (pure half; Ec2Driver.metrics does the call): one GetMetricData
// for an instance's AWS/EC2 metrics (CPUUtilization average, network and disk byte sums; disk =
// instance store + EBS) and the CloudWatch agent's mem_used_percent when an agent publishes it
// (namespace CWAgent, dimension InstanceId). CloudWatch keeps what it was sent: an instance
// without datapoints in the window has no sample (null), never zeros. The period is the
// instance's monitoring granularity: 60 s with detailed monitoring, 300 s without.
import type { MetricDataQuery, MetricDataResult } from "@aws-sdk/client-cloudwatch";
import type { MachineMetricsReading } from "../types";

export const CW_QUERIES = [
  { id: "cpu", namespace: "AWS/EC2", name: "CPUUtilization", stat: "Average" },
  { id: "netin", namespace: "AWS/EC2", name: "NetworkIn", stat: "Sum" },
  { id: "netout", namespace: "AWS/EC2", name: "NetworkOut", stat: "Sum" },
  { id: "diskread", namespace: "AWS/EC2", name: "DiskReadBytes", stat: "Sum" },
  { id: "diskwrite", namespace: "AWS/EC2", name: "DiskWriteBytes", stat: "Sum" },
  { id: "ebsread", namespace: "AWS/EC2", name: "EBSReadBytes", stat: "Sum" },
  { id: "ebswrite", namespace: "AWS/EC2", name: "EBSWriteBytes", stat: "Sum" },
  { id: "mem", namespace: "CWAgent", name: "mem_used_percent", stat: "Average" },
] as const;
type QueryId = (typeof CW_QUERIES)[number]["id"];

/** Periods looked back over: the newest datapoint within them is the reading. */
export const CW_LOOKBACK_PERIODS = 4;

/** The GetMetricData input for an instance at `now` (window aligned on the period, as CloudWatch stores it). */
export function metricDataInput(instanceId: string, period: number, now: Date): { StartTime: Date; EndTime: Date; ScanBy: "TimestampDescending"; MetricDataQueries: MetricDataQuery[] } {
  const p = period * 1000;
  const start = Math.floor((now.getTime() - CW_LOOKBACK_PERIODS * p) / p) * p;
  // Whole seconds, strictly after the start (CloudWatch and moto refuse start == end).
  const end = Math.max(start + 1000, Math.ceil(now.getTime() / 1000) * 1000 + 1000);
  return {
    StartTime: new Date(start),
    EndTime: new Date(end),
    ScanBy: "TimestampDescending",
    MetricDataQueries: CW_QUERIES.map((q) => ({
      Id: q.id,
      MetricStat: { Metric: { Namespace: q.namespace, MetricName: q.name, Dimensions: [{ Name: "InstanceId", Value: instanceId }] }, Period: period, Stat: q.stat },
      ReturnData: true,
    })),
  };
}

/**
 * The reading from GetMetricData's results: the newest CPU datapoint and, for each other metric,
 * its datapoint of the same period (absent: 0 for traffic, unknown for memory). null when there
 * is no CPU datapoint (no sample). memoryMb: the instance type's memory (the base of the agent's
 * percentage). `now`: when the reading was taken (its `at`; the sampler spreads the rates over
 * the time since its previous sample).
 */
export function readingFromMetricData(results: MetricDataResult[], period: number, memoryMb: number | undefined, now: Date): MachineMetricsReading | null {
  const byId = new Map<string, MetricDataResult>();
  for (const r of results) if (r.Id) byId.set(r.Id, r);
  const points = (id: QueryId) => {
    const r = byId.get(id);
    const ts = r?.Timestamps ?? [];
    const vs = r?.Values ?? [];
    const out: { at: number; v: number }[] = [];
    for (let i = 0; i < Math.min(ts.length, vs.length); i++) {
      const at = new Date(ts[i]).getTime();
      if (Number.isFinite(at) && Number.isFinite(vs[i])) out.push({ at, v: vs[i] });
    }
    return out.sort((a, b) => b.at - a.at);
  };
  const cpu = points("cpu")[0];
  if (!cpu) return null;
  const same = (id: QueryId) => points(id).find((p) => p.at === cpu.at)?.v;
  const bps = (...ids: QueryId[]) => ids.reduce((sum, id) => sum + Math.max(0, same(id) ?? 0), 0) / period;
  const mem = same("mem");
  const totalBytes = memoryMb ? memoryMb * 1024 * 1024 : undefined;
  const known = mem !== undefined && totalBytes !== undefined;
  return {
    at: now,
    cpuPercent: Math.min(100, Math.max(0, cpu.v)),
    memoryUsedBytes: known ? (Math.min(100, Math.max(0, mem)) / 100) * totalBytes : 0,
    ...(known ? { memoryTotalBytes: totalBytes } : {}),
    diskReadBytes: 0,
    diskWriteBytes: 0,
    netInBytes: 0,
    netOutBytes: 0,
    rates: {
      seconds: period,
      diskReadBps: bps("diskread", "ebsread"),
      diskWriteBps: bps("diskwrite", "ebswrite"),
      netInBps: bps("netin"),
      netOutBps: bps("netout"),
    },
  };
}

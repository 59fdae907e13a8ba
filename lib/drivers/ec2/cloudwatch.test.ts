import { describe, expect, it } from "vitest";
import { CW_QUERIES, metricDataInput, readingFromMetricData } from "./cloudwatch";

const now = new Date("2026-12-04T09:31:17.250Z");

describe("EC2 metrics from CloudWatch", () => {
  it("asks for every metric of the instance over whole periods, newest first", () => {
    const input = metricDataInput("i-0123456789abcdef0", 300, now);
    expect(input.StartTime.toISOString()).toBe("2026-12-04T09:10:00.000Z");
    expect(input.EndTime.toISOString()).toBe("2026-12-04T09:31:19.000Z");
    expect(input.ScanBy).toBe("TimestampDescending");
    expect(input.MetricDataQueries).toHaveLength(CW_QUERIES.length);
    expect(input.MetricDataQueries[0]).toEqual({
      Id: "cpu",
      MetricStat: { Metric: { Namespace: "AWS/EC2", MetricName: "CPUUtilization", Dimensions: [{ Name: "InstanceId", Value: "i-0123456789abcdef0" }] }, Period: 300, Stat: "Average" },
      ReturnData: true,
    });
    // Query ids must start with a lower-case letter (CloudWatch's rule).
    for (const q of input.MetricDataQueries) expect(q.Id).toMatch(/^[a-z][a-zA-Z0-9_]*$/);
  });

  it("the newest CPU datapoint, with the other metrics of the same period as rates", () => {
    const t1 = new Date("2026-12-04T09:25:00Z");
    const t0 = new Date("2026-12-04T09:20:00Z");
    const r = readingFromMetricData(
      [
        { Id: "cpu", Timestamps: [t0, t1], Values: [10, 73.5] },
        { Id: "netin", Timestamps: [t1, t0], Values: [600_000, 1] },
        { Id: "netout", Timestamps: [t0], Values: [999] },
        { Id: "diskread", Timestamps: [t1], Values: [300] },
        { Id: "ebsread", Timestamps: [t1], Values: [2700] },
        { Id: "ebswrite", Timestamps: [t1], Values: [-5] },
        { Id: "mem", Timestamps: [t1], Values: [25] },
      ],
      300,
      1024,
      now,
    )!;
    expect(r.at).toBe(now);
    expect(r.cpuPercent).toBe(73.5);
    expect(r.memoryUsedBytes).toBe(256 * 1024 * 1024);
    expect(r.memoryTotalBytes).toBe(1024 * 1024 * 1024);
    // netout has no datapoint in that period: 0 traffic; negative sums are not traffic either.
    expect(r.rates).toEqual({ seconds: 300, netInBps: 2000, netOutBps: 0, diskReadBps: 10, diskWriteBps: 0 });
  });

  it("without the CloudWatch agent memory is not known (0, no total)", () => {
    const r = readingFromMetricData([{ Id: "cpu", Timestamps: [now], Values: [5] }], 60, 1024, now)!;
    expect(r.memoryUsedBytes).toBe(0);
    expect(r.memoryTotalBytes).toBeUndefined();
  });

  it("no CPU datapoint is no sample (null), not a reading of zeros", () => {
    expect(readingFromMetricData([], 300, 1024, now)).toBeNull();
    expect(readingFromMetricData([{ Id: "cpu", Timestamps: [], Values: [] }, { Id: "netin", Timestamps: [now], Values: [5] }], 300, 1024, now)).toBeNull();
    expect(readingFromMetricData([{ Id: "cpu", Timestamps: [new Date("nope")], Values: [5] }], 300, 1024, now)).toBeNull();
  });
});

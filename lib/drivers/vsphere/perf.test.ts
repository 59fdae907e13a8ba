import { describe, expect, it } from "vitest";
import { sampleFrom } from "@/lib/monitoring/delta";
import { counterKeys, latestPerfValues, PERF_COUNTERS, queryPerfArgs, readingFromPerf, wantedCounters } from "./perf";
import { envelope, kid, kids, parseResponse } from "./soap";

const answer = (method: string, inner: string) =>
  parseResponse(
    `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><${method}Response xmlns="urn:vim25">${inner}</${method}Response></soapenv:Body></soapenv:Envelope>`,
    method,
    "test",
  );

const counter = (key: number, group: string, name: string, rollup: string) =>
  `<PerfCounterInfo><key>${key}</key><nameInfo><label>x</label><summary>x</summary><key>${name}</key></nameInfo><groupInfo><label>x</label><summary>x</summary><key>${group}</key></groupInfo><unitInfo><label>x</label><summary>x</summary><key>u</key></unitInfo><rollupType>${rollup}</rollupType><statsType>rate</statsType></PerfCounterInfo>`;

const catalogue = answer(
  "RetrievePropertiesEx",
  `<returnval><objects><obj type="PerformanceManager">PerfMgr</obj><propSet><name>perfCounter</name><val xsi:type="ArrayOfPerfCounterInfo">${[
    counter(1, "cpu", "usage", "none"),
    counter(2, "cpu", "usage", "average"),
    counter(24, "mem", "usage", "average"),
    counter(98, "mem", "consumed", "average"),
    counter(130, "disk", "read", "average"),
    counter(131, "disk", "write", "average"),
    counter(148, "net", "received", "average"),
    counter(149, "net", "transmitted", "average"),
    "<PerfCounterInfo><key>7</key></PerfCounterInfo>",
  ].join("")}</val></propSet></objects></returnval>`,
);
const perfCounterProp = kid(kid(kid(kid(catalogue, "returnval"), "objects"), "propSet"), "val");

const series = (id: number, values: number[], instance = "") =>
  `<value xsi:type="PerfMetricIntSeries"><id><counterId>${id}</counterId><instance>${instance}</instance></id>${values.map((v) => `<value>${v}</value>`).join("")}</value>`;
const perf = (samples: { at: string; interval?: number }[], values: string[]) =>
  kids(
    answer(
      "QueryPerf",
      `<returnval xsi:type="PerfEntityMetric"><entity type="VirtualMachine">vm-1</entity>${samples
        .map((s) => `<sampleInfo><timestamp>${s.at}</timestamp><interval>${s.interval ?? 20}</interval></sampleInfo>`)
        .join("")}${values.join("")}</returnval>`,
    ),
    "returnval",
  );

describe("vSphere PerformanceManager readings", () => {
  it("finds the counters by name in the catalogue, whatever their keys", () => {
    const keys = counterKeys(perfCounterProp);
    expect(keys.get("cpu.usage.average")).toBe(2);
    expect(keys.get("cpu.usage.none")).toBe(1);
    expect(keys.has("undefined.undefined.undefined")).toBe(false);
    expect(wantedCounters(keys)).toEqual({ cpu: 2, memUsage: 24, memConsumed: 98, diskRead: 130, diskWrite: 131, netIn: 148, netOut: 149 });
    expect(Object.keys(PERF_COUNTERS)).toHaveLength(7);
  });

  it("asks for the latest real-time sample of the aggregate instance, in WSDL order", () => {
    const xml = envelope("QueryPerf", { type: "PerformanceManager", value: "PerfMgr" }, queryPerfArgs({ type: "VirtualMachine", value: "vm-7" }, [2, 98]));
    expect(xml).toContain(
      '<querySpec><entity type="VirtualMachine">vm-7</entity><maxSample>1</maxSample><metricId><counterId>2</counterId><instance></instance></metricId><metricId><counterId>98</counterId><instance></instance></metricId><intervalId>20</intervalId><format>normal</format></querySpec>',
    );
  });

  it("turns the newest sample into CPU %, memory bytes and disk/network rates", () => {
    const ids = wantedCounters(counterKeys(perfCounterProp));
    // vcsim lists the newest first, vCenter the oldest first: the newest is taken either way.
    const answerNewestFirst = perf(
      [{ at: "2026-12-04T09:00:40Z" }, { at: "2026-12-04T09:00:20Z" }],
      [series(2, [2550, 9999]), series(98, [262144, 1]), series(130, [10, 1]), series(131, [20, 1]), series(148, [1, 1]), series(149, [2, 1]), series(130, [999, 999], "scsi0:0")],
    );
    const r = readingFromPerf(latestPerfValues(answerNewestFirst), ids, 1024)!;
    expect(r.at.toISOString()).toBe("2026-12-04T09:00:40.000Z");
    expect(r.cpuPercent).toBeCloseTo(25.5);
    expect(r.memoryUsedBytes).toBe(256 * 1024 * 1024);
    expect(r.memoryTotalBytes).toBe(1024 * 1024 * 1024);
    expect(r.rates).toEqual({ seconds: 20, diskReadBps: 10 * 1024, diskWriteBps: 20 * 1024, netInBps: 1024, netOutBps: 2048 });
    // 60 s after a previous sample: 60 s of those rates.
    const s = sampleFrom({ at: "2026-12-04T08:59:40.000Z", diskReadBytes: 0, diskWriteBytes: 0, netInBytes: 0, netOutBytes: 0 }, r, 1);
    expect(s).toMatchObject({ cpuPercent: 25.5, diskReadBytes: 60 * 10 * 1024, netOutBytes: 60 * 2048 });

    const oldestFirst = perf([{ at: "2026-12-04T09:00:20Z" }, { at: "2026-12-04T09:00:40Z", interval: 300 }], [series(2, [9999, 1000])]);
    const r2 = readingFromPerf(latestPerfValues(oldestFirst), ids, 1024)!;
    expect(r2.cpuPercent).toBe(10);
    expect(r2.rates?.seconds).toBe(300);
  });

  it("memory from mem.usage when mem.consumed is absent; -1 (no value) is dropped", () => {
    const ids = wantedCounters(counterKeys(perfCounterProp));
    const r = readingFromPerf(latestPerfValues(perf([{ at: "2026-12-04T09:00:40Z" }], [series(2, [-1]), series(24, [5000])])), ids, 2048)!;
    expect(r.cpuPercent).toBeUndefined();
    expect(r.memoryUsedBytes).toBe(1024 * 1024 * 1024);
  });

  it("no sample (a VM without real-time statistics) is null, not zeros", () => {
    const ids = wantedCounters(counterKeys(perfCounterProp));
    expect(latestPerfValues([])).toBeNull();
    expect(latestPerfValues(perf([], []))).toBeNull();
    expect(readingFromPerf(latestPerfValues(perf([{ at: "2026-12-04T09:00:40Z" }], [series(130, [5])])), ids, 1024)).toBeNull();
    expect(readingFromPerf(latestPerfValues(perf([{ at: "not a date" }], [series(2, [5])])), ids, 1024)).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { countersOf, sampleFrom } from "./delta";
import { dockerStatsReading } from "../drivers/docker/docker-driver";
import { parseDomstats } from "../drivers/libvirt/libvirt-driver";
import { simLoadConfig, simLoadPercent, simReading } from "../drivers/simulator/load-profile";

const at = (s: number) => new Date(Date.UTC(2030, 0, 1) + s * 1000);
const reading = (s: number, o: Partial<Parameters<typeof sampleFrom>[1]> = {}) => ({
  at: at(s),
  memoryUsedBytes: 100,
  diskReadBytes: 0,
  diskWriteBytes: 0,
  netInBytes: 0,
  netOutBytes: 0,
  ...o,
});

describe("sampleFrom", () => {
  it("turns CPU time into utilisation of the machine's vCPUs, and counters into amounts", () => {
    const a = reading(0, { cpuTimeNs: 0, diskReadBytes: 1000, netInBytes: 10 });
    // 60 s of wall time on 2 vCPUs, 30 s of CPU time: 25 %.
    const b = reading(60, { cpuTimeNs: 30e9, diskReadBytes: 5000, netInBytes: 110 });
    expect(sampleFrom(countersOf(a), b, 2)).toMatchObject({ cpuPercent: 25, diskReadBytes: 4000, netInBytes: 100 });
  });
  it("first reading: zero amounts, CPU unknown unless the driver says", () => {
    expect(sampleFrom(null, reading(0, { cpuTimeNs: 5, diskReadBytes: 9 }), 1)).toMatchObject({ cpuPercent: null, diskReadBytes: 0 });
    expect(sampleFrom(null, reading(0, { cpuPercent: 40 }), 1).cpuPercent).toBe(40);
  });
  it("a counter that went backwards (restart) counts from zero; CPU is clamped to 0..100", () => {
    const a = reading(0, { cpuTimeNs: 100e9, diskWriteBytes: 1e6 });
    const b = reading(10, { cpuTimeNs: 50e9, diskWriteBytes: 300 });
    const s = sampleFrom(countersOf(a), b, 1);
    expect(s.diskWriteBytes).toBe(300);
    expect(s.cpuPercent).toBe(100);
  });
  it("provider rates (vSphere, CloudWatch): bytes per second times the time since the last sample", () => {
    const rates = { seconds: 20, diskReadBps: 1000, diskWriteBps: 0, netInBps: 50, netOutBps: -5 };
    const a = reading(0, { cpuPercent: 30, rates });
    // First reading: the provider's own interval.
    expect(sampleFrom(null, a, 1)).toMatchObject({ cpuPercent: 30, diskReadBytes: 20_000, netInBytes: 1000, netOutBytes: 0 });
    // 60 s later: 60 s of those rates, whatever the counters said before.
    const b = reading(60, { cpuPercent: 120, rates });
    const prev = countersOf(reading(0, { diskReadBytes: 1e9 }));
    expect(sampleFrom(prev, b, 1)).toMatchObject({ cpuPercent: 100, diskReadBytes: 60_000, netInBytes: 3000, diskWriteBytes: 0 });
    // A clock that did not move forward falls back to the provider's interval.
    expect(sampleFrom(countersOf(b), b, 1).diskReadBytes).toBe(20_000);
  });
});

describe("driver readings", () => {
  it("Docker/Podman stats (blkio and networks may be null)", () => {
    const r = dockerStatsReading(
      {
        read: "2030-01-01T00:00:00Z",
        cpu_stats: { cpu_usage: { total_usage: 123 } },
        memory_stats: { usage: 1000, limit: 4096, stats: { inactive_file: 100 } },
        blkio_stats: { io_service_bytes_recursive: [{ op: "Read", value: 7 }, { op: "write", value: 3 }] },
        networks: { eth0: { rx_bytes: 5, tx_bytes: 6 } },
      },
      () => new Error("malformed"),
    );
    expect(r).toMatchObject({ cpuTimeNs: 123, memoryUsedBytes: 900, memoryTotalBytes: 4096, diskReadBytes: 7, diskWriteBytes: 3, netInBytes: 5, netOutBytes: 6 });
    expect(dockerStatsReading({ cpu_stats: { cpu_usage: { total_usage: 1 } }, memory_stats: {}, blkio_stats: { io_service_bytes_recursive: null }, networks: null }, () => new Error("m")).diskReadBytes).toBe(0);
    expect(() => dockerStatsReading({ nope: 1 }, () => new Error("malformed"))).toThrow("malformed");
  });
  it("libvirt domstats --raw", () => {
    const out = `Domain: 'vm1'\n  cpu.time=2000000000\n  vcpu.current=2\n  balloon.current=65536\n  balloon.rss=30000\n  block.count=1\n  block.0.rd.bytes=4096\n  block.0.wr.bytes=512\n  net.count=1\n  net.0.rx.bytes=10\n  net.0.tx.bytes=20\n`;
    expect(parseDomstats(out, at(0))).toMatchObject({ cpuTimeNs: 2e9, vcpu: 2, memoryTotalBytes: 65536 * 1024, memoryUsedBytes: 30000 * 1024, diskReadBytes: 4096, diskWriteBytes: 512, netInBytes: 10, netOutBytes: 20 });
    expect(() => parseDomstats("Domain: 'x'\n", at(0))).toThrow(/no statistics/);
  });
  it("simulator load profiles", () => {
    expect(simLoadPercent(simLoadConfig({}), at(0))).toBe(5);
    expect(simLoadPercent(simLoadConfig({ loadProfile: "constant", loadPercent: 70 }), at(0))).toBe(70);
    const sine = simLoadConfig({ loadProfile: "sine", loadPercent: 85, loadPeriodSeconds: 600 });
    expect(simLoadPercent(sine, new Date(0))).toBeCloseTo(5);
    expect(simLoadPercent(sine, new Date(300_000))).toBeCloseTo(85);
    const steps = simLoadConfig({ loadProfile: "steps", loadPercent: 90, loadPeriodSeconds: 60 });
    expect([0, 60, 120].map((s) => simLoadPercent(steps, new Date(s * 1000)))).toEqual([5, 90, 5]);
    const r1 = simReading(steps, new Date(60_000), { vcpu: 2, memoryMb: 1024 });
    const r2 = simReading(steps, new Date(120_000), { vcpu: 2, memoryMb: 1024 });
    expect(r2.netInBytes).toBeGreaterThan(r1.netInBytes);
    expect(r1.memoryUsedBytes).toBeGreaterThan(r2.memoryUsedBytes);
  });
});

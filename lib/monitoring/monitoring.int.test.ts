// Monitoring against real PostgreSQL: sampling through the simulator's load profile (per
// provider interval, bounded concurrency, a failing machine isolated), downsampling and
// retention driven by a controllable clock, and the /metrics endpoint's access rule and content.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { makeMonitoredEstate } from "@/test/monitoring-estate";
import { rollupMetrics } from "./rollup-metrics";
import { mapBounded, sampleMetrics } from "./sample-metrics";
import { serveMetrics } from "./metrics-endpoint";
import { getMachineMetrics } from "./get-machine-metrics";
import { getProjectMetrics } from "./get-project-metrics";
import { ctxFor, makeUser } from "@/test/factories";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const MIN = 60_000;

describe("sampling", () => {
  it("samples the running machines of a provider when its interval has elapsed, and only then", async () => {
    const e = await makeMonitoredEstate(t.db, { machines: 3, intervalSeconds: 120 });
    const stopped = await makeMonitoredEstate(t.db, { machines: 1, state: "STOPPED" });
    const t0 = new Date();
    const first = await sampleMetrics(t.db, { now: t0, concurrency: 2 });
    expect(first.sampled).toBe(3);
    expect(first.failed).toBe(0);
    const rows = await t.db.metricSample.findMany({ where: { machineId: { in: e.machineIds } } });
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(r.resolution).toBe("RAW");
      expect(r.cpuPercent).toBe(70);
      expect(r.projectId).toBe(e.project.id);
      expect(r.memoryUsedBytes).toBeGreaterThan(0);
      // The first reading has nothing to subtract from.
      expect(r.diskReadBytes).toBe(0);
    }
    expect(await t.db.metricSample.count({ where: { machineId: stopped.machineIds[0] } })).toBe(0);
    // 60 s later: not due (interval 120 s).
    expect((await sampleMetrics(t.db, { now: new Date(t0.getTime() + MIN) })).sampled).toBe(0);
    // 120 s later: due; the amounts are since the previous reading (simulated rates > 0).
    await new Promise((r) => setImmediate(r));
    const second = await sampleMetrics(t.db, { now: new Date(t0.getTime() + 2 * MIN) });
    expect(second.sampled).toBe(3);
    const latest = await t.db.metricSample.findMany({ where: { machineId: e.machineIds[0] }, orderBy: { at: "desc" } });
    expect(latest).toHaveLength(2);
    expect(latest[0].netInBytes).toBeGreaterThanOrEqual(0);
  });

  it("a machine whose reading fails is skipped; the provider's others are stored", async () => {
    const e = await makeMonitoredEstate(t.db, { machines: 2 });
    // Its simulated machine is gone: the driver answers NOT_FOUND.
    await t.db.simMachine.deleteMany({ where: { idempotencyKey: e.machineIds[1] } });
    const r = await sampleMetrics(t.db, { now: new Date(), providerId: e.provider.id });
    expect(r).toMatchObject({ sampled: 1, failed: 1 });
    expect(await t.db.metricSample.count({ where: { machineId: e.machineIds[0] } })).toBe(1);
    expect(await t.db.metricSample.count({ where: { machineId: e.machineIds[1] } })).toBe(0);
  });

  it("mapBounded never runs more than the limit at once", async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return n * 2;
    });
    expect(out).toEqual([2, 4, 6, 8, 10, 12, 14]);
    expect(peak).toBe(3);
  });
});

describe("downsampling and retention (controllable clock)", () => {
  it("rolls raw samples into 5-minute and hourly rows, idempotently, and prunes each past its retention", async () => {
    const e = await makeMonitoredEstate(t.db, { machines: 1 });
    const machineId = e.machineIds[0];
    // Two whole hours of one-minute samples: CPU 10 % in the first hour, 50 % in the second;
    // every sample read 1000 bytes from disk.
    const start = new Date(Date.UTC(2030, 0, 1, 10, 0, 0));
    const data = Array.from({ length: 120 }, (_, i) => ({
      machineId,
      projectId: e.project.id,
      providerId: e.provider.id,
      resolution: "RAW" as const,
      at: new Date(start.getTime() + i * MIN),
      cpuPercent: i < 60 ? 10 : 50,
      memoryUsedBytes: 1e9,
      diskReadBytes: 1000,
      diskWriteBytes: 0,
      netInBytes: 0,
      netOutBytes: 0,
    }));
    await t.db.metricSample.createMany({ data });
    const now = new Date(start.getTime() + 120 * MIN);
    await rollupMetrics(t.db, now);
    const again = await rollupMetrics(t.db, now);
    expect(again.pruned).toEqual({ RAW: 0, M5: 0, H1: 0 });
    const m5 = await t.db.metricSample.findMany({ where: { machineId, resolution: "M5" }, orderBy: { at: "asc" } });
    expect(m5).toHaveLength(24);
    expect(m5.every((r) => r.samples === 5 && r.diskReadBytes === 5000)).toBe(true);
    expect(m5[0].at.toISOString()).toBe(start.toISOString());
    expect(m5[0].cpuPercent).toBe(10);
    expect(m5[23].cpuPercent).toBe(50);
    const h1 = await t.db.metricSample.findMany({ where: { machineId, resolution: "H1" }, orderBy: { at: "asc" } });
    expect(h1.map((r) => [r.at.toISOString(), r.cpuPercent, r.samples, r.diskReadBytes])).toEqual([
      [start.toISOString(), 10, 60, 60_000],
      [new Date(start.getTime() + 60 * MIN).toISOString(), 50, 60, 60_000],
    ]);

    // 25 hours on: the raw samples are gone, the rollups stay.
    const r1 = await rollupMetrics(t.db, new Date(now.getTime() + 25 * 60 * MIN));
    expect(r1.pruned.RAW).toBeGreaterThanOrEqual(120);
    expect(await t.db.metricSample.count({ where: { machineId, resolution: "RAW" } })).toBe(0);
    expect(await t.db.metricSample.count({ where: { machineId, resolution: "M5" } })).toBe(24);
    // The hourly rows were not recomputed from the (now empty) raw rows.
    expect((await t.db.metricSample.findMany({ where: { machineId, resolution: "H1" } })).map((r) => r.samples)).toEqual([60, 60]);
    // 31 days on: the 5-minute rows are gone; one year and a day: the hourly ones too.
    await rollupMetrics(t.db, new Date(now.getTime() + 31 * 24 * 60 * MIN));
    expect(await t.db.metricSample.count({ where: { machineId, resolution: "M5" } })).toBe(0);
    expect(await t.db.metricSample.count({ where: { machineId, resolution: "H1" } })).toBe(2);
    await rollupMetrics(t.db, new Date(now.getTime() + 367 * 24 * 60 * MIN));
    expect(await t.db.metricSample.count({ where: { machineId } })).toBe(0);
  });
});

describe("GET /metrics", () => {
  it("is off without a token, refuses a missing or wrong token, and serves OpenMetrics with the token", async () => {
    const e = await makeMonitoredEstate(t.db, { machines: 1 });
    await sampleMetrics(t.db, { now: new Date(), providerId: e.provider.id });
    const req = (auth?: string) => new Request("http://localhost/metrics", { headers: auth ? { authorization: auth } : {} });
    expect((await serveMetrics(req("Bearer x"), t.db, undefined)).status).toBe(404);
    expect((await serveMetrics(req(), t.db, "s3cret-token")).status).toBe(401);
    expect((await serveMetrics(req("Bearer s3cret-tokem"), t.db, "s3cret-token")).status).toBe(401);
    const res = await serveMetrics(req("Bearer s3cret-token"), t.db, "s3cret-token");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/openmetrics-text/);
    const body = await res.text();
    expect(body).toMatch(new RegExp(`orq_machine_cpu_percent\\{machine_id="${e.machineIds[0]}",machine="mon-0",project="${e.project.slug}"\\} 70`));
    expect(body).toMatch(/orq_machines\{state="RUNNING"\} \d+/);
    expect(body).toMatch(/# TYPE orq_driver_call_duration_seconds histogram/);
    expect(body).toMatch(/orq_driver_call_duration_seconds_count\{kind="SIMULATOR",call="metrics",result="ok"\} \d+/);
    expect(body.trimEnd().endsWith("# EOF")).toBe(true);
  });
});

describe("chart data", () => {
  it("machine and project metrics for their readers; NOT_FOUND for others", async () => {
    const e = await makeMonitoredEstate(t.db, { machines: 2 });
    const now = new Date();
    const hot = e.machineIds[0];
    for (const [i, id] of e.machineIds.entries()) {
      await t.db.metricSample.createMany({
        data: [2, 1].map((k) => ({
          machineId: id, projectId: e.project.id, providerId: e.provider.id, resolution: "RAW" as const, at: new Date(now.getTime() - k * MIN),
          cpuPercent: id === hot ? 80 : 10 + i, memoryUsedBytes: 1e6, diskReadBytes: 6000, diskWriteBytes: 0, netInBytes: 600, netOutBytes: 0,
        })),
      });
    }
    const owner = await ctxFor(t.db, e.owner.id, () => now);
    const m = await getMachineMetrics(owner, { machineId: hot, range: "1h" });
    expect(m).toMatchObject({ resolution: "RAW", stepSeconds: 60, supported: true });
    expect(m.points.map((p) => [p.cpuPercent, p.diskReadBps, p.netInBps])).toEqual([[80, 100, 10], [80, 100, 10]]);
    const p = await getProjectMetrics(owner, { projectId: e.project.id, range: "1h" });
    expect(p.topConsumers[0]).toMatchObject({ machineId: hot, cpuPercent: 80 });
    expect(p.series).toHaveLength(2);
    expect(p.series[0]).toMatchObject({ machines: 2, memoryUsedBytes: 2e6 });
    const stranger = await ctxFor(t.db, (await makeUser(t.db)).id, () => now);
    await expect(getMachineMetrics(stranger, { machineId: hot, range: "1h" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getProjectMetrics(stranger, { projectId: e.project.id, range: "24h" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

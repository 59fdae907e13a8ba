// Alert rules evaluated on stored samples with a controllable clock: a rule fires once when
// the metric stays beyond the threshold for its whole duration, never twice while open (even
// with two evaluations at once), resolves once at the first sample back under it, and notifies
// the machine's owner and the project's approvers each time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { addMember, makeUser } from "@/test/factories";
import { makeMonitoredEstate } from "@/test/monitoring-estate";
import { evaluateAlerts } from "./evaluate-alerts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const MIN = 60_000;

describe("alerts", () => {
  it("fires exactly once after the duration, resolves exactly once, and notifies owner and approvers", async () => {
    const e = await makeMonitoredEstate(t.db, { machines: 1 });
    const approver = await makeUser(t.db);
    await addMember(t.db, e.project.id, approver.id, "APPROVER");
    const machineId = e.machineIds[0];
    const rule = await t.db.alertRule.create({ data: { projectId: e.project.id, name: "cpu-hot", metric: "CPU_PERCENT", comparator: "ABOVE", threshold: 90, durationSeconds: 300 } });
    const t0 = new Date(Date.UTC(2030, 5, 1, 12, 0, 0));
    const sample = (i: number, cpu: number) =>
      t.db.metricSample.create({
        data: { machineId, projectId: e.project.id, providerId: e.provider.id, resolution: "RAW", at: new Date(t0.getTime() + i * MIN), cpuPercent: cpu, memoryUsedBytes: 1, diskReadBytes: 0, diskWriteBytes: 0, netInBytes: 0, netOutBytes: 0 },
      });
    const at = (i: number) => new Date(t0.getTime() + i * MIN + 1000);

    // Four minutes above 90 %: not yet five.
    for (let i = 0; i <= 3; i++) await sample(i, 95);
    expect(await evaluateAlerts(t.db, { now: at(3) })).toEqual([]);
    // One dip resets nothing yet fired; then above again for the full five minutes.
    await sample(4, 95);
    await sample(5, 96);
    // Two evaluations at once: one firing.
    const [a, b] = await Promise.all([evaluateAlerts(t.db, { now: at(5) }), evaluateAlerts(t.db, { now: at(5) })]);
    expect([...a, ...b].filter((c) => c.ruleId === rule.id)).toEqual([{ ruleId: rule.id, machineId, change: "FIRED", value: 96 }]);
    // Still above: stays open, no second firing.
    await sample(6, 99);
    expect(await evaluateAlerts(t.db, { now: at(6) })).toEqual([]);
    // Back under: resolves once.
    await sample(7, 20);
    const [c, d] = await Promise.all([evaluateAlerts(t.db, { now: at(7) }), evaluateAlerts(t.db, { now: at(7) })]);
    expect([...c, ...d]).toEqual([{ ruleId: rule.id, machineId, change: "RESOLVED", value: 20 }]);
    expect(await evaluateAlerts(t.db, { now: at(8) })).toEqual([]);

    const events = await t.db.alertEvent.findMany({ where: { ruleId: rule.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ machineId, firedValue: 96, resolvedValue: 20, openKey: null });
    expect(events[0].firedAt.toISOString()).toBe(at(5).toISOString());
    expect(events[0].resolvedAt?.toISOString()).toBe(at(7).toISOString());

    const notes = await t.db.notification.findMany({ where: { kind: { in: ["alert.firing", "alert.resolved"] } }, orderBy: { createdAt: "asc" } });
    const by = (kind: string) => notes.filter((n) => n.kind === kind).map((n) => n.userId).sort();
    expect(by("alert.firing")).toEqual([e.owner.id, approver.id].sort());
    expect(by("alert.resolved")).toEqual([e.owner.id, approver.id].sort());
  });

  it("a gap in the samples (not covering the duration) does not fire; a disabled rule never fires", async () => {
    const e = await makeMonitoredEstate(t.db, { machines: 1 });
    const machineId = e.machineIds[0];
    await t.db.alertRule.create({ data: { projectId: e.project.id, name: "cpu-low", metric: "CPU_PERCENT", comparator: "BELOW", threshold: 10, durationSeconds: 600 } });
    await t.db.alertRule.create({ data: { projectId: e.project.id, name: "off", metric: "CPU_PERCENT", threshold: 0, durationSeconds: 60, enabled: false } });
    const t0 = new Date(Date.UTC(2030, 6, 1, 12, 0, 0));
    // Only the last three minutes of the ten are sampled.
    for (let i = 7; i <= 10; i++) {
      await t.db.metricSample.create({
        data: { machineId, projectId: e.project.id, providerId: e.provider.id, resolution: "RAW", at: new Date(t0.getTime() + i * MIN), cpuPercent: 1, memoryUsedBytes: 1, diskReadBytes: 0, diskWriteBytes: 0, netInBytes: 0, netOutBytes: 0 },
      });
    }
    expect(await evaluateAlerts(t.db, { now: new Date(t0.getTime() + 10 * MIN + 1000) })).toEqual([]);
  });
});

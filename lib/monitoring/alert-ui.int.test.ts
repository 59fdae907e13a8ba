// The alert-rule verbs behind the monitoring page and the API (scope, notify, update, audit,
// permissions), the engine's webhook events for alerts and scoped rules, and the aggregate
// chart verbs (project and admin utilisation: permission refusal, empty data, downsampled
// ranges).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { addMember, ctxFor, makeProject, makeUser, TEST_RESERVATION } from "@/test/factories";
import { makeMonitoredEstate } from "@/test/monitoring-estate";
import { dispatchEvent } from "../events/dispatch-event";
import { createAlertRuleSchema, updateAlertRuleSchema } from "./schemas";
import { createAlertRule, deleteAlertRule, getProjectMonitoring, listAlertRules, updateAlertRule } from "./alert-rules";
import { evaluateAlerts } from "./evaluate-alerts";
import { getProjectMetrics } from "./get-project-metrics";
import { getUtilisation } from "./get-utilisation";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const MIN = 60_000;
const base = { name: "cpu-hot", metric: "CPU_PERCENT", comparator: "ABOVE", threshold: 90, durationSeconds: 120 } as const;

async function sample(e: Awaited<ReturnType<typeof makeMonitoredEstate>>, machineId: string, at: Date, cpu: number | null, resolution: "RAW" | "M5" | "H1" = "RAW", memory = 1024 ** 3) {
  await t.db.metricSample.create({
    data: { machineId, projectId: e.project.id, providerId: e.provider.id, resolution, at, cpuPercent: cpu, memoryUsedBytes: memory, diskReadBytes: 0, diskWriteBytes: 0, netInBytes: 0, netOutBytes: 0 },
  });
}

describe("alert rule verbs", () => {
  it("validates thresholds with message keys: percent metrics at most 100, never negative, a number", () => {
    const projectId = crypto.randomUUID();
    const issue = (input: object) => {
      const r = createAlertRuleSchema.safeParse({ projectId, ...base, ...input });
      return r.success ? null : r.error.issues.map((i) => `${i.path.join(".")}:${i.message}`);
    };
    expect(issue({})).toBeNull();
    expect(issue({ threshold: 150 })).toEqual(["threshold:alerts.validation.thresholdPercent"]);
    expect(issue({ threshold: -1 })).toEqual(["threshold:alerts.validation.thresholdNegative"]);
    expect(issue({ threshold: Number.NaN })).toEqual(["threshold:alerts.validation.thresholdRequired"]);
    expect(issue({ durationSeconds: 30 })).toEqual(["durationSeconds:alerts.validation.durationTooShort"]);
    expect(issue({ name: " " })).toEqual(["name:alerts.validation.nameRequired"]);
    // Bytes per second may be far above 100.
    expect(issue({ metric: "NETWORK_BYTES_PER_SECOND", threshold: 5e6 })).toBeNull();
    expect(updateAlertRuleSchema.safeParse({ ruleId: projectId, ...base, metric: "MEMORY_PERCENT", threshold: 101 }).success).toBe(false);
  });

  it("creates, updates (scope, notify) and deletes with audit; viewers are refused, strangers see nothing", async () => {
    const e = await makeMonitoredEstate(t.db, { machines: 2 });
    const member = await ctxFor(t.db, e.owner.id);
    const viewerUser = await makeUser(t.db);
    await addMember(t.db, e.project.id, viewerUser.id, "VIEWER");
    const viewer = await ctxFor(t.db, viewerUser.id);
    const stranger = await ctxFor(t.db, (await makeUser(t.db)).id);
    const input = { projectId: e.project.id, ...base, machineId: null, notify: true, enabled: true };

    await expect(createAlertRule(viewer, input)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createAlertRule(stranger, input)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(listAlertRules(stranger, { projectId: e.project.id })).rejects.toMatchObject({ code: "NOT_FOUND" });

    // A machine of another project is not a valid scope.
    const other = await makeMonitoredEstate(t.db, { machines: 1 });
    await expect(createAlertRule(member, { ...input, machineId: other.machineIds[0] })).rejects.toMatchObject({
      code: "VALIDATION",
      details: { fields: { machineId: ["alerts.validation.machineNotInProject"] } },
    });

    const rule = await createAlertRule(member, input);
    expect(rule).toMatchObject({ machineId: null, notify: true, enabled: true, threshold: 90 });
    await expect(updateAlertRule(viewer, { ruleId: rule.id, ...base, machineId: null, notify: true, enabled: true })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(updateAlertRule(stranger, { ruleId: rule.id, ...base, machineId: null, notify: true, enabled: true })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const updated = await updateAlertRule(member, { ruleId: rule.id, ...base, threshold: 95, machineId: e.machineIds[1], notify: false, enabled: true });
    expect(updated).toMatchObject({ threshold: 95, machineId: e.machineIds[1], notify: false });

    const listed = await listAlertRules(viewer, { projectId: e.project.id });
    expect(listed.items).toEqual([expect.objectContaining({ id: rule.id, machineName: "mon-1", firing: 0, lastFiredAt: null })]);
    const page = await getProjectMonitoring(viewer, { projectId: e.project.id });
    expect(page).toMatchObject({ canManage: false, project: { id: e.project.id } });
    expect(page.machines.map((m) => m.name)).toEqual(["mon-0", "mon-1"]);
    expect((await getProjectMonitoring(member, {})).canManage).toBe(true);
    await expect(getProjectMonitoring(stranger, { projectId: e.project.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await getProjectMonitoring(stranger, {})).toMatchObject({ project: null, projects: [] });

    await expect(deleteAlertRule(viewer, { ruleId: rule.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await deleteAlertRule(member, { ruleId: rule.id });
    const audit = await t.db.auditEvent.findMany({ where: { targetId: rule.id }, orderBy: [{ at: "asc" }, { id: "asc" }] });
    expect(audit.map((a) => a.action)).toEqual(["alertRule.create", "alertRule.update", "alertRule.delete"]);
    expect(audit[1].before).toMatchObject({ threshold: 90, machineId: null, notify: true });
    expect(audit[1].after).toMatchObject({ threshold: 95, machineId: e.machineIds[1], notify: false });
  });
});

describe("alert engine: scope, notify and webhooks", () => {
  it("a scoped rule fires on its machine only; notify=false sends no notification; webhooks get alert.fired and alert.resolved once", async () => {
    const e = await makeMonitoredEstate(t.db, { machines: 2 });
    const [hot, other] = e.machineIds;
    const sub = await t.db.webhookSubscription.create({ data: { projectId: e.project.id, url: "https://hooks.example.com/x", events: ["alert.fired", "alert.resolved"], secretEnc: "unused" } });
    const member = await ctxFor(t.db, e.owner.id);
    const rule = await createAlertRule(member, { projectId: e.project.id, ...base, machineId: hot, notify: false, enabled: true });
    const t0 = new Date(Date.UTC(2031, 1, 1, 12, 0, 0));
    const at = (i: number) => new Date(t0.getTime() + i * MIN + 1000);
    for (let i = 0; i <= 2; i++) {
      await sample(e, hot, new Date(t0.getTime() + i * MIN), 97);
      await sample(e, other, new Date(t0.getTime() + i * MIN), 99);
    }
    const fired = await evaluateAlerts(t.db, { now: at(2) });
    expect(fired.filter((c) => c.ruleId === rule.id)).toEqual([{ ruleId: rule.id, machineId: hot, change: "FIRED", value: 97 }]);
    expect(await evaluateAlerts(t.db, { now: at(2) })).toEqual([]);
    await sample(e, hot, new Date(t0.getTime() + 3 * MIN), 10);
    expect((await evaluateAlerts(t.db, { now: at(3) })).filter((c) => c.ruleId === rule.id)).toEqual([{ ruleId: rule.id, machineId: hot, change: "RESOLVED", value: 10 }]);

    expect(await t.db.notification.count({ where: { kind: { in: ["alert.firing", "alert.resolved"] }, userId: e.owner.id } })).toBe(0);
    const events = await t.db.event.findMany({ where: { projectId: e.project.id }, orderBy: { createdAt: "asc" } });
    expect(events.map((ev) => ev.type)).toEqual(["alert.fired", "alert.resolved"]);
    const alertEvent = await t.db.alertEvent.findFirstOrThrow({ where: { ruleId: rule.id } });
    expect(events[0].payload).toMatchObject({ alert: { id: alertEvent.id, value: 97, resolvedAt: null }, rule: { id: rule.id, name: "cpu-hot", threshold: 90 }, machine: { id: hot, name: "mon-0" } });
    expect(events[1].payload).toMatchObject({ alert: { id: alertEvent.id, value: 10, resolvedAt: at(3).toISOString() } });
    // The outbox turns each into one delivery to the subscription.
    for (const ev of events) expect(await dispatchEvent(t.db, ev.id)).toEqual({ deliveries: 1, emails: 0 });
    expect(await t.db.webhookDelivery.count({ where: { subscriptionId: sub.id } })).toBe(2);

    const listed = await listAlertRules(member, { projectId: e.project.id });
    expect(listed.items[0]).toMatchObject({ firing: 0, lastFiredAt: at(2).toISOString() });
  });

  it("an edit that takes the firing machine out of the rule's scope resolves its alert once; the new machine fires on its own", async () => {
    const e = await makeMonitoredEstate(t.db, { machines: 2 });
    const [first, second] = e.machineIds;
    const member = await ctxFor(t.db, e.owner.id);
    const rule = await createAlertRule(member, { projectId: e.project.id, ...base, machineId: first, notify: true, enabled: true });
    const t0 = new Date(Date.UTC(2031, 1, 2, 12, 0, 0));
    const at = (i: number) => new Date(t0.getTime() + i * MIN + 1000);
    for (let i = 0; i <= 4; i++) {
      await sample(e, first, new Date(t0.getTime() + i * MIN), 95);
      await sample(e, second, new Date(t0.getTime() + i * MIN), 96);
    }
    expect(await evaluateAlerts(t.db, { now: at(2) })).toEqual([{ ruleId: rule.id, machineId: first, change: "FIRED", value: 95 }]);
    await updateAlertRule(member, { ruleId: rule.id, ...base, machineId: second, notify: true, enabled: true });
    const changes = await evaluateAlerts(t.db, { now: at(3) });
    expect(changes).toEqual(
      expect.arrayContaining([
        { ruleId: rule.id, machineId: first, change: "RESOLVED", value: 95 },
        { ruleId: rule.id, machineId: second, change: "FIRED", value: 96 },
      ]),
    );
    expect(changes).toHaveLength(2);
    expect(await evaluateAlerts(t.db, { now: at(4) })).toEqual([]);
    const notes = await t.db.notification.findMany({ where: { userId: e.owner.id, kind: { in: ["alert.firing", "alert.resolved"] } } });
    expect(notes.map((n) => n.kind).sort()).toEqual(["alert.firing", "alert.firing", "alert.resolved"]);
  });
});

describe("aggregate charts", () => {
  it("project metrics: empty for a project without samples; 24h reads the 5-minute rollups, not raw samples", async () => {
    const e = await makeMonitoredEstate(t.db, { machines: 2 });
    const now = new Date(Date.UTC(2031, 2, 1, 12, 0, 0));
    const ctx = await ctxFor(t.db, e.owner.id, () => now);
    expect(await getProjectMetrics(ctx, { projectId: e.project.id, range: "24h" })).toMatchObject({ resolution: "M5", topConsumers: [], series: [] });
    await sample(e, e.machineIds[0], new Date(now.getTime() - 2 * MIN), 80);
    await sample(e, e.machineIds[0], new Date(now.getTime() - 60 * MIN), 40, "M5");
    await sample(e, e.machineIds[1], new Date(now.getTime() - 60 * MIN), 20, "M5");
    const day = await getProjectMetrics(ctx, { projectId: e.project.id, range: "24h" });
    expect(day.series).toEqual([{ at: new Date(now.getTime() - 60 * MIN).toISOString(), cpuPercent: 30, memoryUsedBytes: 2 * 1024 ** 3, machines: 2 }]);
    expect(day.topConsumers.map((c) => [c.name, c.cpuPercent])).toEqual([["mon-0", 40], ["mon-1", 20]]);
    const hour = await getProjectMetrics(ctx, { projectId: e.project.id, range: "1h" });
    expect(hour.series.map((p) => p.cpuPercent)).toEqual([80]);
  });

  it("utilisation: administrators only; providers without samples have empty series; allocated, measured and capacity per point", async () => {
    const admin = await ctxFor(t.db, (await makeUser(t.db, { role: "ADMIN" })).id);
    const member = await makeUser(t.db);
    const project = await makeProject(t.db);
    await addMember(t.db, project.id, member.id, "APPROVER");
    await expect(getUtilisation(await ctxFor(t.db, member.id), { range: "1h" })).rejects.toMatchObject({ code: "FORBIDDEN" });

    const e = await makeMonitoredEstate(t.db, { machines: 2 });
    await t.db.host.create({ data: { providerId: e.provider.id, name: "h1", vcpuTotal: 16, memoryMbTotal: 65536, vcpuUsed: 4, memoryMbUsed: 8192 } });
    await t.db.host.create({ data: { providerId: e.provider.id, name: "h2", vcpuTotal: 16, memoryMbTotal: 65536, state: "DISABLED" } });
    const now = new Date(Date.UTC(2031, 3, 1, 12, 0, 0));
    const ctx = { ...admin, now: () => now };
    const empty = await getUtilisation(ctx, { range: "1h", providerId: e.provider.id });
    expect(empty.providers).toEqual([expect.objectContaining({ id: e.provider.id, capacity: { vcpu: 16, memoryMb: 65536 }, allocatedNow: { vcpu: 4, memoryMb: 8192 }, series: [] })]);

    // Two machines (2 vCPU, 4096 MiB each) sampled in the same minute: 50 % and 100 % CPU.
    const minute = new Date(now.getTime() - 10 * MIN);
    await sample(e, e.machineIds[0], new Date(minute.getTime() + 5000), 50, "RAW", 1024 ** 3);
    await sample(e, e.machineIds[1], new Date(minute.getTime() + 9000), 100, "RAW", 2 * 1024 ** 3);
    // A rollup an hour old: only the 24h range reads it.
    await sample(e, e.machineIds[0], new Date(now.getTime() - 120 * MIN), 25, "M5", 1024 ** 3);
    const hour = await getUtilisation(ctx, { range: "1h", providerId: e.provider.id });
    expect(hour.providers[0].series).toEqual([
      { at: minute.toISOString(), machines: 2, vcpuAllocated: 2 * TEST_RESERVATION.vcpu, memoryMbAllocated: 2 * TEST_RESERVATION.memoryMb, vcpuUsed: 3, memoryMbUsed: 3072 },
    ]);
    const day = await getUtilisation(ctx, { range: "24h", providerId: e.provider.id });
    expect(day).toMatchObject({ resolution: "M5", stepSeconds: 300 });
    expect(day.providers[0].series).toEqual([
      { at: new Date(now.getTime() - 120 * MIN).toISOString(), machines: 1, vcpuAllocated: 2, memoryMbAllocated: 4096, vcpuUsed: 0.5, memoryMbUsed: 1024 },
    ]);
    expect((await getUtilisation(ctx, { range: "30d", providerId: e.provider.id })).providers[0].series).toEqual([]);
  });
});

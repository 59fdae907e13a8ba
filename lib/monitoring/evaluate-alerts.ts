// Evaluates the projects' alert rules on the stored raw samples (run by the worker's metrics
// task after each sampling round; `now` is a parameter: tests drive the clock). A rule fires for
// a machine when its samples cover the last `durationSeconds` and every one of them is beyond
// the threshold; an open alert resolves at the first newest sample that is not. Firing and
// resolving each happen exactly once: the open alert holds a unique key (rule:machine), and
// the resolve is a conditional update of the open row. The project's owners (the machine's
// owner) and approvers are notified ("alert.firing" / "alert.resolved"), in the same
// transaction as the event, unless the rule says not to (`notify`); the project's webhook
// subscribers get "alert.fired" / "alert.resolved" (outbox, same transaction). A rule scoped to
// one machine (`machineId`) watches only that machine.
import type { Db, Tx } from "../db/client";
import { emitEvent } from "../events/emit";
import type { AlertComparator, AlertMetric } from "../generated/prisma/enums";
import { notify } from "../notifications/notify";

interface Sample {
  at: Date;
  cpuPercent: number | null;
  memoryUsedBytes: number;
  memoryTotalBytes: number | null;
  diskReadBytes: number;
  diskWriteBytes: number;
  netInBytes: number;
  netOutBytes: number;
}

/** A sample's value of a rule's metric; null when the sample cannot tell. */
export function metricValue(metric: AlertMetric, s: Sample, stepSeconds: number): number | null {
  switch (metric) {
    case "CPU_PERCENT":
      return s.cpuPercent;
    case "MEMORY_PERCENT":
      return s.memoryTotalBytes ? (s.memoryUsedBytes / s.memoryTotalBytes) * 100 : null;
    case "DISK_BYTES_PER_SECOND":
      return (s.diskReadBytes + s.diskWriteBytes) / stepSeconds;
    case "NETWORK_BYTES_PER_SECOND":
      return (s.netInBytes + s.netOutBytes) / stepSeconds;
  }
}

export const beyond = (comparator: AlertComparator, value: number, threshold: number) => (comparator === "ABOVE" ? value > threshold : value < threshold);

export interface AlertChange {
  ruleId: string;
  machineId: string;
  change: "FIRED" | "RESOLVED";
  value: number;
}

async function recipients(tx: Tx, projectId: string, ownerId: string): Promise<string[]> {
  const approvers = await tx.projectMember.findMany({ where: { projectId, role: "APPROVER", user: { disabled: false } }, select: { userId: true } });
  const owner = await tx.user.findFirst({ where: { id: ownerId, disabled: false }, select: { id: true } });
  return [...new Set([...(owner ? [owner.id] : []), ...approvers.map((a) => a.userId)])];
}

export async function evaluateAlerts(db: Db, opts: { now: Date }): Promise<AlertChange[]> {
  const { now } = opts;
  const rules = await db.alertRule.findMany({ where: { enabled: true }, include: { events: { where: { resolvedAt: null } } } });
  const changes: AlertChange[] = [];
  for (const rule of rules) {
    const machines = await db.machine.findMany({
      // A scoped rule: its machine, and those it is still firing on from before an edit.
      where: { projectId: rule.projectId, state: { not: "DELETED" }, ...(rule.machineId ? { id: { in: [rule.machineId, ...rule.events.map((e) => e.machineId)] } } : {}) },
      select: { id: true, name: true, ownerId: true, state: true, project: { select: { name: true } }, provider: { select: { metricsIntervalSeconds: true } } },
    });
    const open = new Map(rule.events.map((e) => [e.machineId, e]));
    for (const m of machines) {
      const step = m.provider?.metricsIntervalSeconds ?? 60;
      // The window, plus one interval before it: the sample that covers its start.
      const windowStart = new Date(now.getTime() - rule.durationSeconds * 1000);
      const samples = await db.metricSample.findMany({
        where: { machineId: m.id, resolution: "RAW", at: { gt: new Date(windowStart.getTime() - step * 1000 - 5000), lte: now } },
        orderBy: { at: "asc" },
      });
      const valued = samples.map((s) => ({ at: s.at, v: metricValue(rule.metric, s, step) })).filter((x): x is { at: Date; v: number } => x.v !== null);
      const latest = valued.at(-1);
      const params = (value: number) => ({
        ruleName: rule.name,
        metric: rule.metric,
        comparator: rule.comparator,
        threshold: rule.threshold,
        value: Math.round(value * 10) / 10,
        machineName: m.name,
        projectName: m.project.name,
      });
      const webhook = (type: "alert.fired" | "alert.resolved", eventId: string, value: number, firedAt: Date, resolvedAt: Date | null) => ({
        type,
        projectId: rule.projectId,
        data: {
          alert: { id: eventId, firedAt: firedAt.toISOString(), resolvedAt: resolvedAt?.toISOString() ?? null, value },
          rule: { id: rule.id, name: rule.name, metric: rule.metric, comparator: rule.comparator, threshold: rule.threshold, durationSeconds: rule.durationSeconds },
          machine: { id: m.id, name: m.name, projectId: rule.projectId },
        },
      });
      const event = open.get(m.id);
      if (event) {
        // Resolve at the first sample that is not beyond (or when the machine stopped running).
        // Still open: running and the newest sample still beyond (or none yet: unknown).
        // A machine an edit took out of the rule's scope resolves at once.
        const inScope = !rule.machineId || rule.machineId === m.id;
        if (inScope && m.state === "RUNNING" && (latest === undefined || beyond(rule.comparator, latest.v, rule.threshold))) continue;
        const value = latest?.v ?? event.firedValue;
        const done = await db.$transaction(async (tx) => {
          const r = await tx.alertEvent.updateMany({ where: { id: event.id, resolvedAt: null }, data: { resolvedAt: now, resolvedValue: value, openKey: null } });
          if (r.count === 0) return false;
          if (rule.notify) for (const userId of await recipients(tx, rule.projectId, m.ownerId)) await notify(tx, userId, "alert.resolved", params(value), `/machines/${m.id}`);
          await emitEvent(tx, webhook("alert.resolved", event.id, value, event.firedAt, now));
          return true;
        });
        if (done) changes.push({ ruleId: rule.id, machineId: m.id, change: "RESOLVED", value });
        continue;
      }
      if (m.state !== "RUNNING" || !valued.length) continue;
      // Covered: the oldest sample is no later than one interval after the window's start.
      const covered = valued[0].at.getTime() <= windowStart.getTime() + step * 1000 + 5000;
      const inWindow = valued.filter((x) => x.at.getTime() >= windowStart.getTime() - step * 1000 - 5000);
      if (!covered || !inWindow.every((x) => beyond(rule.comparator, x.v, rule.threshold))) continue;
      const value = latest!.v;
      const fired = await db.$transaction(async (tx) => {
        const rows = await tx.alertEvent.createManyAndReturn({
          data: [{ ruleId: rule.id, projectId: rule.projectId, machineId: m.id, openKey: `${rule.id}:${m.id}`, firedAt: now, firedValue: value }],
          skipDuplicates: true,
        });
        if (!rows.length) return false;
        if (rule.notify) for (const userId of await recipients(tx, rule.projectId, m.ownerId)) await notify(tx, userId, "alert.firing", params(value), `/machines/${m.id}`);
        await emitEvent(tx, webhook("alert.fired", rows[0].id, value, now, null));
        return true;
      });
      if (fired) changes.push({ ruleId: rule.id, machineId: m.id, change: "FIRED", value });
    }
  }
  return changes;
}

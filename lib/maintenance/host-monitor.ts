// High availability. The host monitor asks every active provider for its hosts' health
// (getCapacity: a host the provider lists as healthy has a heartbeat) every
// ORQ_HOST_MONITOR_MS; a host without a heartbeat for ORQ_HOST_FAILURE_SECONDS (its provider
// unreachable counts) is marked FAILED: placement skips it, its drain stops, administrators
// are told. Then, and only then, the host is FENCED through its provider (powered off through
// its management interface), and only once fenced are its highly-available machines queued
// for HA_RESTART on other hosts within capacity: a machine never runs on two hosts. A provider
// that cannot fence waits for an administrator to confirm the host is off. A failed host comes
// back only when an administrator returns it to service.
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { Db, Tx } from "../db/client";
import { recordAudit } from "../audit/record-audit";
import { notify } from "../notifications/notify";
import type { Actor } from "../auth/permissions";
import { withProviderDriver } from "../providers/provider-driver";
import { createOperation } from "../orchestration/create-operation";
import { enqueueJob } from "../orchestration/enqueue";
import { cancelDrains } from "./drain";

export const HOST_MONITOR_TASK = "orq-host-monitor";
export const HOST_FENCE_TASK = "orq-host-fence";

const envNum = (name: string, fallback: number) => {
  const v = process.env[name];
  const n = Number(v);
  return v !== undefined && v !== "" && Number.isFinite(n) && n >= 0 ? n : fallback;
};
/** A host is failed after this long without a heartbeat. */
export const hostFailureSeconds = () => envNum("ORQ_HOST_FAILURE_SECONDS", 60);
/** How often hosts are checked; 0 switches the monitor off. */
export const hostMonitorMs = () => envNum("ORQ_HOST_MONITOR_MS", 15_000);

const PROBE_TIMEOUT_MS = 10_000;
const FENCE_TIMEOUT_MS = 120_000;
const hostRefOf = (h: { externalRef: string | null; name: string }) => h.externalRef ?? h.name;

interface MonitorDeps {
  now: () => Date;
  log: Logger;
}

/** One round: heartbeats from every active provider, then hosts silent for too long fail. */
export async function monitorHosts(db: Db, deps: MonitorDeps): Promise<{ heartbeats: number; failed: string[] }> {
  const providers = await db.provider.findMany({
    where: { status: "ACTIVE", hosts: { some: { state: { in: ["ACTIVE", "MAINTENANCE"] } } } },
    include: { hosts: { where: { state: { in: ["ACTIVE", "MAINTENANCE"] } } } },
  });
  let heartbeats = 0;
  for (const p of providers) {
    try {
      const hosts = await withProviderDriver(db, p, PROBE_TIMEOUT_MS, (d, signal) => d.getCapacity({ signal }));
      const healthy = new Set(hosts.filter((h) => h.healthy !== false).map((h) => h.ref));
      const ids = p.hosts.filter((h) => healthy.has(hostRefOf(h))).map((h) => h.id);
      if (ids.length) heartbeats += (await db.host.updateMany({ where: { id: { in: ids } }, data: { heartbeatAt: deps.now() } })).count;
    } catch (err) {
      deps.log.warn({ provider: p.name, err: (err as Error).message }, "host monitor: provider did not answer");
    }
  }
  const limit = new Date(deps.now().getTime() - hostFailureSeconds() * 1000);
  // Never-seen hosts (heartbeatAt null) are not failing: they have not been checked yet.
  const silent = await db.host.findMany({
    where: { state: { in: ["ACTIVE", "MAINTENANCE"] }, heartbeatAt: { lt: limit }, provider: { status: "ACTIVE" } },
    select: { id: true, name: true, heartbeatAt: true },
  });
  const failed: string[] = [];
  for (const h of silent) {
    const seconds = Math.round((deps.now().getTime() - h.heartbeatAt!.getTime()) / 1000);
    if (await markHostFailed(db, h.id, `No heartbeat for ${seconds} s`, deps.now())) failed.push(h.name);
  }
  if (failed.length) deps.log.warn({ hosts: failed }, "hosts failed");
  return { heartbeats, failed };
}

/** Marks a host FAILED and records the incident; fencing follows in its own job. */
export async function markHostFailed(db: Db, hostId: string, reason: string, now: Date): Promise<string | null> {
  return db.$transaction(async (tx) => {
    const host = await tx.host.findUnique({ where: { id: hostId } });
    if (!host) return null;
    const r = await tx.host.updateMany({ where: { id: hostId, state: { in: ["ACTIVE", "MAINTENANCE"] } }, data: { state: "FAILED", stateReason: reason } });
    if (r.count !== 1) return null;
    await cancelDrains(tx, hostId, now);
    const onHost = { hostId, state: { not: "DELETED" as const }, releasedAt: null };
    const [ha, other] = await Promise.all([
      tx.machine.count({ where: { ...onHost, highlyAvailable: true } }),
      tx.machine.count({ where: { ...onHost, highlyAvailable: false } }),
    ]);
    const incident = await tx.hostIncident.create({ data: { hostId, reason, detectedAt: now, haMachines: ha, otherMachines: other } });
    await recordAudit(tx, { actor: null, correlationId: randomUUID() }, {
      action: "host.failed",
      targetType: "Host",
      targetId: hostId,
      before: { state: host.state },
      after: { state: "FAILED", name: host.name, reason, incidentId: incident.id, haMachines: ha, otherMachines: other },
    });
    const admins = await tx.user.findMany({ where: { role: "ADMIN", disabled: false }, select: { id: true } });
    for (const a of admins) await notify(tx, a.id, "host.failed", { hostName: host.name, reason, haMachines: ha }, "/admin/maintenance");
    await enqueueJob(tx, HOST_FENCE_TASK, { incidentId: incident.id }, { jobKey: `host-fence:${incident.id}`, maxAttempts: 30 });
    return incident.id;
  });
}

/**
 * Fences the incident's host through its provider, then queues the HA restarts. Throws while
 * the provider cannot fence it yet (the job is retried with backoff); a provider without
 * fencing leaves the incident for an administrator to confirm.
 */
export async function fenceIncident(db: Db, incidentId: string, deps: MonitorDeps): Promise<"fenced" | "manual" | "gone"> {
  const incident = await db.hostIncident.findUnique({ where: { id: incidentId }, include: { host: { include: { provider: true } } } });
  if (!incident || incident.status === "RESOLVED") return "gone";
  if (incident.status === "FENCED") {
    await db.$transaction((tx) => queueRestarts(tx, incidentId));
    return "fenced";
  }
  const host = incident.host;
  const fenced = await withProviderDriver(db, host.provider, FENCE_TIMEOUT_MS, async (d, signal) => {
    if (!d.capabilities.has("ha") || !d.fenceHost) return false;
    await d.fenceHost(hostRefOf(host), { signal });
    return true;
  });
  if (!fenced) {
    deps.log.warn({ host: host.name }, "the provider cannot fence hosts: an administrator must confirm the host is off");
    return "manual";
  }
  await recordFenced(db, incidentId, deps.now(), null, "provider");
  deps.log.info({ host: host.name }, "host fenced; restarting its highly-available machines elsewhere");
  return "fenced";
}

/** The host is known to be off (fenced by the provider, or confirmed by an administrator). */
export async function recordFenced(db: Db, incidentId: string, now: Date, actor: Actor | null, how: "provider" | "administrator", correlationId: string = randomUUID()): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const r = await tx.hostIncident.updateMany({ where: { id: incidentId, status: "DETECTED" }, data: { status: "FENCED", fencedAt: now } });
    if (r.count !== 1) return false;
    const incident = await tx.hostIncident.findUniqueOrThrow({ where: { id: incidentId } });
    await recordAudit(tx, { actor, correlationId } as Parameters<typeof recordAudit>[1], {
      action: "host.fenced",
      targetType: "Host",
      targetId: incident.hostId,
      after: { incidentId, how },
    });
    await queueRestarts(tx, incidentId);
    return true;
  });
}

/** HA_RESTART for every highly-available running machine of the fenced host (once each). */
async function queueRestarts(tx: Tx, incidentId: string): Promise<number> {
  const incident = await tx.hostIncident.findUniqueOrThrow({ where: { id: incidentId }, include: { host: true } });
  const machines = await tx.machine.findMany({ where: { hostId: incident.hostId, state: { not: "DELETED" }, releasedAt: null } });
  const already = new Set(
    (await tx.operation.findMany({ where: { kind: "HA_RESTART", params: { path: ["incidentId"], equals: incidentId } }, select: { machineId: true } })).map((o) => o.machineId),
  );
  let queued = 0;
  for (const m of machines) {
    if (already.has(m.id)) continue;
    if (m.highlyAvailable && m.state === "RUNNING") {
      await createOperation(tx, m, { kind: "HA_RESTART", params: { incidentId } });
      queued++;
    } else if (!m.drifted) {
      await tx.machine.update({ where: { id: m.id }, data: { drifted: true, driftReason: `Host ${incident.host.name} failed` } });
      await notify(tx, m.ownerId, "host.failed", { hostName: incident.host.name, machineName: m.name, haMachines: 0 }, `/machines/${m.id}`);
    }
  }
  return queued;
}

/** Schedules the next monitor round (a chain of delayed jobs; the minute cron restarts a broken chain). */
export async function enqueueMonitor(tx: Tx, runAt?: Date): Promise<void> {
  await enqueueJob(tx, HOST_MONITOR_TASK, {}, { jobKey: HOST_MONITOR_TASK, runAt, jobKeyMode: runAt ? "replace" : "preserve_run_at", maxAttempts: 1 });
}

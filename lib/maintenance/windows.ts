// Maintenance windows over time (the worker's minute tick): owners of machines on an affected
// host or provider are notified ORQ_MAINTENANCE_NOTICE_HOURS ahead (default 72); at its start
// a host window puts its host into maintenance (a drain, audited as the system); at its end
// the host goes back into service if the window put it there. Placement avoids hosts from
// ORQ_MAINTENANCE_LEAD_HOURS (default 24) before a window until it ends (place-machine.ts).
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { Db } from "../db/client";
import { recordAudit } from "../audit/record-audit";
import { notify } from "../notifications/notify";
import { cancelDrains, startDrain } from "./drain";
import { maintenanceNoticeHours } from "./settings";


const system = () => ({ actor: null, correlationId: randomUUID() });

export async function tickMaintenanceWindows(db: Db, now: Date, log: Logger): Promise<{ notified: number; started: number; ended: number }> {
  let notified = 0;
  let started = 0;
  let ended = 0;
  // Notices.
  const soon = await db.maintenanceWindow.findMany({
    where: { status: "SCHEDULED", notifiedAt: null, startsAt: { lte: new Date(now.getTime() + maintenanceNoticeHours() * 3600_000) }, endsAt: { gt: now } },
    include: { host: true },
  });
  for (const w of soon) {
    await db.$transaction(async (tx) => {
      const r = await tx.maintenanceWindow.updateMany({ where: { id: w.id, notifiedAt: null }, data: { notifiedAt: now } });
      if (r.count !== 1) return;
      const machines = await tx.machine.findMany({
        where: { state: { not: "DELETED" }, releasedAt: null, ...(w.hostId ? { hostId: w.hostId } : { providerId: w.providerId }) },
        select: { id: true, name: true, ownerId: true },
      });
      const provider = w.providerId ? await tx.provider.findUnique({ where: { id: w.providerId }, select: { name: true } }) : null;
      const byOwner = new Map<string, string[]>();
      for (const m of machines) byOwner.set(m.ownerId, [...(byOwner.get(m.ownerId) ?? []), m.name]);
      for (const [ownerId, names] of byOwner) {
        await notify(
          tx,
          ownerId,
          "maintenance.scheduled",
          { where: w.host?.name ?? provider?.name ?? "", startsAt: w.startsAt.toISOString(), endsAt: w.endsAt.toISOString(), reason: w.reason, machines: names.slice(0, 5).join(", "), count: names.length },
          "/machines",
        );
        notified++;
      }
    });
  }
  // Starts: a host window drains its host.
  const due = await db.maintenanceWindow.findMany({ where: { status: "SCHEDULED", startsAt: { lte: now } }, include: { host: true } });
  for (const w of due) {
    await db.$transaction(async (tx) => {
      const r = await tx.maintenanceWindow.updateMany({ where: { id: w.id, status: "SCHEDULED" }, data: { status: w.endsAt <= now ? "COMPLETED" : "ACTIVE", startedAt: now, ...(w.endsAt <= now ? { endedAt: now } : {}) } });
      if (r.count !== 1 || w.endsAt <= now) return;
      started++;
      if (w.host && w.host.state === "ACTIVE") {
        await tx.host.update({ where: { id: w.host.id }, data: { state: "MAINTENANCE", stateReason: w.reason } });
        const drain = await startDrain(tx, w.host, { reason: w.reason, requestedById: w.createdById, windowId: w.id });
        await recordAudit(tx, system(), { action: "host.maintenance", targetType: "Host", targetId: w.host.id, before: { state: "ACTIVE" }, after: { state: "MAINTENANCE", name: w.host.name, windowId: w.id, drainId: drain.id } });
      }
    });
  }
  // Ends: the host goes back into service when this window put it into maintenance.
  const over = await db.maintenanceWindow.findMany({ where: { status: "ACTIVE", endsAt: { lte: now } }, include: { host: true } });
  for (const w of over) {
    await db.$transaction(async (tx) => {
      const r = await tx.maintenanceWindow.updateMany({ where: { id: w.id, status: "ACTIVE" }, data: { status: "COMPLETED", endedAt: now } });
      if (r.count !== 1) return;
      ended++;
      const ours = w.host ? await tx.hostDrain.findFirst({ where: { hostId: w.host.id, windowId: w.id } }) : null;
      if (w.host && ours && w.host.state === "MAINTENANCE") {
        await cancelDrains(tx, w.host.id, now);
        await tx.host.update({ where: { id: w.host.id }, data: { state: "ACTIVE", stateReason: null } });
        await recordAudit(tx, system(), { action: "host.maintenance", targetType: "Host", targetId: w.host.id, before: { state: "MAINTENANCE" }, after: { state: "ACTIVE", name: w.host.name, windowId: w.id } });
      }
    });
  }
  if (notified || started || ended) log.info({ notified, started, ended }, "maintenance windows");
  return { notified, started, ended };
}

// Fires schedules and backup policies whose time has come (the worker's minute tick; any
// number of workers may run it at once). Each occurrence fires EXACTLY ONCE: the firing row
// (ScheduledFiring, primary key source + occurrence) is inserted in the same transaction as
// the operations it queues, so a second worker, a retried job or a worker killed half-way
// (its transaction rolled back) can neither skip it nor fire it twice. An occurrence missed
// by more than ORQ_SCHEDULE_GRACE_MINUTES (the workers were down) is recorded as MISSED, not
// fired late; the next one is computed from now, in the schedule's time zone.
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { Db, Prisma, Tx } from "../db/client";
import { SCHEDULE_ACTIONS, type ScheduleAction } from "./actions";
import { recordAudit } from "../audit/record-audit";
import { hasCapability } from "../machines/capabilities";
import { createOperation } from "../orchestration/create-operation";
import { OPERATION_SPECS } from "../orchestration/operation-specs";
import { requestBackup } from "../backups/request-backup";
import { nextOccurrence } from "./cron";

export const SCHEDULER_TASK = "orq-scheduler";

const graceMs = () => {
  const n = Number(process.env.ORQ_SCHEDULE_GRACE_MINUTES);
  return (process.env.ORQ_SCHEDULE_GRACE_MINUTES && Number.isFinite(n) && n >= 0 ? n : 60) * 60_000;
};

export { SCHEDULE_ACTIONS, type ScheduleAction };

interface Source {
  key: string;
  kind: "schedule" | "backup-policy";
  id: string;
  projectId: string;
  machineId: string | null;
  action: ScheduleAction;
  cron: string;
  timeZone: string;
  nextRunAt: Date;
  params: Record<string, unknown>;
  createdById: string | null;
}

interface Skip {
  machineId: string;
  name: string;
  reason: string;
}

const machineSelect = {
  id: true,
  name: true,
  state: true,
  version: true,
  projectId: true,
  ownerId: true,
  vcpu: true,
  memoryMb: true,
  diskGb: true,
  diskTier: true,
  templateId: true,
  offeringId: true,
  providerId: true,
  provider: { select: { kind: true } },
  project: { select: { disabledActions: true } },
} satisfies Prisma.MachineSelect;

/** A snapshot name unique per occurrence: sched-<yyyymmdd>-<hhmm> (UTC). */
const snapshotNameFor = (occurrence: Date) => `sched-${occurrence.toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "-")}`;

type FiredMachine = Prisma.MachineGetPayload<{ select: typeof machineSelect }>;

/**
 * Retention of scheduled snapshots (a SNAPSHOT_CREATE schedule with `keep`): at each run, the
 * machine's scheduled snapshots (named sched-...) beyond the newest `keep` get a SNAPSHOT_DELETE,
 * queued behind the new snapshot. Only snapshots that exist count, so `keep` previous ones and
 * the new one exist afterwards, and a new one that fails never leaves fewer than `keep`. Nothing
 * is pruned when the project has switched deleting snapshots off. Returns how many were queued.
 */
async function pruneScheduledSnapshots(tx: Tx, m: FiredMachine, keep: number, scheduleId: string): Promise<number> {
  if (m.project.disabledActions.includes("SNAPSHOT_DELETE") || !hasCapability(m.provider?.kind, "snapshots")) return 0;
  const snaps = await tx.snapshot.findMany({ where: { machineId: m.id, name: { startsWith: "sched-" } }, orderBy: [{ createdAt: "desc" }, { name: "desc" }], select: { id: true } });
  let queued = 0;
  // The SNAPSHOT_CREATE just requested bumped the machine's version; each request bumps it again.
  let cur = { ...m, version: m.version + 1 };
  for (const snap of snaps.slice(keep)) {
    const deleting = await tx.operation.count({ where: { machineId: m.id, kind: "SNAPSHOT_DELETE", status: { in: ["QUEUED", "RUNNING"] }, params: { path: ["snapshotId"], equals: snap.id } } });
    if (deleting) continue;
    await createOperation(tx, cur, { kind: "SNAPSHOT_DELETE", params: { snapshotId: snap.id, scheduleId, reason: `Retention of scheduled snapshots (keep ${keep})` } });
    cur = { ...cur, version: cur.version + 1 };
    queued++;
  }
  return queued;
}

async function fireOne(tx: Tx, s: Source, occurrence: Date): Promise<{ operations: number; skipped: Skip[]; pruned: number }> {
  const machines = await tx.machine.findMany({
    where: { projectId: s.projectId, ...(s.machineId ? { id: s.machineId } : {}), state: { not: "DELETED" } },
    select: machineSelect,
    orderBy: { name: "asc" },
  });
  const spec = OPERATION_SPECS[s.action];
  const skipped: Skip[] = [];
  let operations = 0;
  let pruned = 0;
  for (const m of machines) {
    const skip = (reason: string) => skipped.push({ machineId: m.id, name: m.name, reason });
    if (m.project.disabledActions.includes(s.action)) {
      skip("switched off for the project");
      continue;
    }
    if (spec.capability && !hasCapability(m.provider?.kind, spec.capability)) {
      skip("not supported by the provider");
      continue;
    }
    if (!(spec.from as readonly string[]).includes(m.state)) {
      skip(`the machine is ${m.state}`);
      continue;
    }
    if (s.action === "BACKUP") {
      const targetId = typeof s.params.targetId === "string" ? s.params.targetId : null;
      if (!targetId) {
        skip("no backup target");
        continue;
      }
      await requestBackup(tx, m, { targetId, policyId: s.kind === "backup-policy" ? s.id : null });
    } else if (s.action === "SNAPSHOT_CREATE") {
      const name = snapshotNameFor(occurrence);
      if (await tx.snapshot.findUnique({ where: { machineId_name: { machineId: m.id, name } } })) {
        skip("a snapshot of this name exists");
        continue;
      }
      await createOperation(tx, m, { kind: "SNAPSHOT_CREATE", params: { name, scheduleId: s.id } });
      const keep = typeof s.params.keep === "number" ? s.params.keep : null;
      if (keep) pruned += await pruneScheduledSnapshots(tx, m, keep, s.id);
    } else {
      await createOperation(tx, m, { kind: s.action, params: { reason: `Scheduled (${s.cron}, ${s.timeZone})`, scheduleId: s.id } });
    }
    operations++;
  }
  return { operations, skipped, pruned };
}

/** Fires one due occurrence of one source, exactly once. Returns what happened. */
async function fireSource(db: Db, s: Source, now: Date): Promise<"fired" | "missed" | "already" | "busy"> {
  return db.$transaction(async (tx) => {
    // Whoever holds the row fires it; the others skip it this round.
    const table = s.kind === "schedule" ? "Schedule" : "BackupPolicy";
    const locked = await tx.$queryRawUnsafe<{ nextRunAt: Date | null; enabled: boolean }[]>(
      `select "nextRunAt", enabled from "${table}" where id = $1::uuid for update skip locked`,
      s.id,
    );
    if (locked.length === 0) return "busy";
    const cur = locked[0];
    if (!cur.enabled || !cur.nextRunAt || cur.nextRunAt.getTime() !== s.nextRunAt.getTime()) return "already";
    const occurrence = s.nextRunAt;
    const missed = now.getTime() - occurrence.getTime() > graceMs();
    const inserted = await tx.$executeRaw`
      insert into "ScheduledFiring" (source, occurrence, outcome) values (${s.key}, ${occurrence}, ${missed ? "MISSED" : "FIRED"})
      on conflict do nothing`;
    let outcome: "fired" | "missed" | "already" = inserted === 1 ? (missed ? "missed" : "fired") : "already";
    if (inserted === 1 && !missed) {
      const r = await fireOne(tx, s, occurrence);
      await tx.scheduledFiring.update({
        where: { source_occurrence: { source: s.key, occurrence } },
        data: { operations: r.operations, skipped: r.skipped as unknown as Prisma.InputJsonValue },
      });
      await recordAudit(tx, { actor: null, correlationId: randomUUID() }, {
        action: s.kind === "schedule" ? "schedule.run" : "backup_policy.run",
        targetType: s.kind === "schedule" ? "Schedule" : "BackupPolicy",
        targetId: s.id,
        projectId: s.projectId,
        after: { occurrence: occurrence.toISOString(), action: s.action, operations: r.operations, skipped: r.skipped.length, ...(r.pruned ? { snapshotsPruned: r.pruned } : {}) },
      });
      outcome = "fired";
    }
    const next = nextOccurrence(s.cron, s.timeZone, new Date(Math.max(now.getTime(), occurrence.getTime())));
    const data = { nextRunAt: next, ...(outcome === "fired" ? { lastRunAt: now } : {}) };
    if (s.kind === "schedule") await tx.schedule.update({ where: { id: s.id }, data });
    else await tx.backupPolicy.update({ where: { id: s.id }, data });
    return outcome;
  });
}

/** Fires everything due at `now`; returns counts. */
export async function fireDueSchedules(db: Db, now: Date, log: Logger): Promise<{ fired: number; missed: number }> {
  const [schedules, policies] = await Promise.all([
    db.schedule.findMany({ where: { enabled: true, nextRunAt: { lte: now } }, orderBy: { nextRunAt: "asc" }, take: 500 }),
    db.backupPolicy.findMany({ where: { enabled: true, nextRunAt: { lte: now } }, orderBy: { nextRunAt: "asc" }, take: 500 }),
  ]);
  const sources: Source[] = [
    ...schedules.map((s) => ({
      key: `schedule:${s.id}`,
      kind: "schedule" as const,
      id: s.id,
      projectId: s.projectId,
      machineId: s.machineId,
      action: s.action as ScheduleAction,
      cron: s.cron,
      timeZone: s.timeZone,
      nextRunAt: s.nextRunAt!,
      params: (s.params ?? {}) as Record<string, unknown>,
      createdById: s.createdById,
    })),
    ...policies.map((p) => ({
      key: `backup-policy:${p.id}`,
      kind: "backup-policy" as const,
      id: p.id,
      projectId: p.projectId,
      machineId: p.machineId,
      action: "BACKUP" as const,
      cron: p.cron,
      timeZone: p.timeZone,
      nextRunAt: p.nextRunAt!,
      params: { targetId: p.targetId },
      createdById: p.createdById,
    })),
  ];
  let fired = 0;
  let missed = 0;
  for (const s of sources) {
    try {
      const r = await fireSource(db, s, now);
      if (r === "fired") fired++;
      if (r === "missed") missed++;
    } catch (err) {
      // A machine changed under us: nothing was recorded, the next tick fires it.
      log.warn({ source: s.key, err: (err as Error).message }, "schedule could not fire; trying again on the next tick");
    }
  }
  if (fired || missed) log.info({ fired, missed }, "schedules fired");
  return { fired, missed };
}

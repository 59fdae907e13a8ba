// Lease handling, run by the worker's cron every minute (and by tests with a moved clock):
// - 7 days before a lease ends, the owner is told once ("lease.expiring"); an extension moves
//   leaseEndsAt, which makes the reminder due again for the new date.
// - at the end, a running machine is stopped (an Operation STOP, the same path the web side
//   uses) and the owner is told once ("lease.expired");
// - after the project's leaseGraceDays past the end, the machine is deleted.
// Each machine is handled in its own transaction with a version check, so a user acting on a
// machine at the same moment makes this sweep skip it (it is picked up on the next one).
import type { Logger } from "pino";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { notify } from "../notifications/notify";
import { createOperation } from "./create-operation";

export const LEASE_REMINDER_DAYS = 7;
const DAY = 24 * 3600_000;
const BATCH = 500;

export interface LeaseSweepResult {
  reminded: number;
  stopped: number;
  expiredNotices: number;
  deleted: number;
}

export async function sweepLeases(db: Db, now: Date, log?: Logger): Promise<LeaseSweepResult> {
  const out: LeaseSweepResult = { reminded: 0, stopped: 0, expiredNotices: 0, deleted: 0 };
  const live = { notIn: ["DELETING", "DELETED"] as ("DELETING" | "DELETED")[] };

  // 1. Reminders: the lease ends within 7 days and the owner was not told since (end - 7 days).
  const soon = await db.machine.findMany({
    where: { state: live, leaseEndsAt: { gt: now, lte: new Date(now.getTime() + LEASE_REMINDER_DAYS * DAY) } },
    select: { id: true, name: true, ownerId: true, leaseEndsAt: true, leaseNotifiedAt: true },
    take: BATCH,
  });
  for (const m of soon) {
    const dueSince = new Date(m.leaseEndsAt!.getTime() - LEASE_REMINDER_DAYS * DAY);
    if (m.leaseNotifiedAt && m.leaseNotifiedAt >= dueSince) continue;
    await db.$transaction(async (tx) => {
      const r = await tx.machine.updateMany({
        where: { id: m.id, leaseEndsAt: m.leaseEndsAt, OR: [{ leaseNotifiedAt: null }, { leaseNotifiedAt: { lt: dueSince } }] },
        data: { leaseNotifiedAt: now },
      });
      if (r.count !== 1) return;
      const days = Math.max(1, Math.ceil((m.leaseEndsAt!.getTime() - now.getTime()) / DAY));
      await notify(tx, m.ownerId, "lease.expiring", { machineId: m.id, machineName: m.name, leaseEndsAt: m.leaseEndsAt!.toISOString(), days }, `/machines/${m.id}`);
      out.reminded++;
    });
  }

  // 2. Expired: tell the owner once (leaseNotifiedAt before the end), stop it if it runs,
  //    delete it once the grace period is over.
  const expired = await db.machine.findMany({
    where: { state: live, leaseEndsAt: { lte: now } },
    select: { id: true, name: true, ownerId: true, state: true, version: true, leaseEndsAt: true, leaseNotifiedAt: true, project: { select: { leaseGraceDays: true } } },
    orderBy: { leaseEndsAt: "asc" },
    take: BATCH,
  });
  for (const m of expired) {
    const end = m.leaseEndsAt!;
    const deleteAt = new Date(end.getTime() + m.project.leaseGraceDays * DAY);
    try {
      await db.$transaction(async (tx) => {
        if (!m.leaseNotifiedAt || m.leaseNotifiedAt < end) {
          const r = await tx.machine.updateMany({ where: { id: m.id, leaseEndsAt: end, leaseNotifiedAt: m.leaseNotifiedAt }, data: { leaseNotifiedAt: now } });
          if (r.count === 1) {
            await notify(
              tx,
              m.ownerId,
              "lease.expired",
              { machineId: m.id, machineName: m.name, leaseEndsAt: end.toISOString(), deleteAt: deleteAt.toISOString() },
              `/machines/${m.id}`,
            );
            out.expiredNotices++;
          }
        }
        if (now >= deleteAt && ["RUNNING", "STOPPED", "FAILED"].includes(m.state)) {
          await createOperation(tx, m, { kind: "DELETE", params: { reason: "lease.expired" } });
          out.deleted++;
        } else if (now < deleteAt && m.state === "RUNNING") {
          await createOperation(tx, m, { kind: "STOP", params: { reason: "lease.expired" } });
          out.stopped++;
        }
      });
    } catch (err) {
      // Changed by someone in the meantime: the next sweep sees the new state.
      if (err instanceof AppError && err.code === "CONFLICT") continue;
      throw err;
    }
  }
  if (out.reminded + out.stopped + out.deleted + out.expiredNotices > 0) log?.info(out, "lease sweep");
  return out;
}

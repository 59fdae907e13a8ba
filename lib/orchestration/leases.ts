// Lease handling, run by the worker's cron every minute (and by tests with a moved clock):
// - 7 days before a lease ends, the owner is told once ("lease.expiring"); an extension moves
//   leaseEndsAt, which makes the reminder due again for the new date.
// - at the end, a running machine is stopped (an Operation STOP, the same path the web side
//   uses) and the owner is told once ("lease.expired");
// - after the project's leaseGraceDays past the end, the machine is deleted.
//
// The database selects exactly the machines that are due (never "some rows, then filter"),
// and each pass walks them in (leaseEndsAt, id) order with a keyset cursor: however many
// machines sit in their grace period or were reminded already, none of them is read, and a
// due machine that cannot be handled now (changed by someone at the same moment) is stepped
// over instead of blocking the ones behind it. Each machine is handled in its own transaction
// with a version check, so a user acting on a machine at the same moment makes this sweep
// skip it (the next sweep picks it up).
import type { Logger } from "pino";
import type { Db } from "../db/client";
import type { MachineState } from "../generated/prisma/enums";
import { AppError } from "../errors";
import { notify } from "../notifications/notify";
import { createOperation } from "./create-operation";

export const LEASE_REMINDER_DAYS = 7;
const DAY = 24 * 3600_000;
const DEFAULT_BATCH = 500;

export interface LeaseSweepResult {
  reminded: number;
  stopped: number;
  expiredNotices: number;
  deleted: number;
}

export interface LeaseSweepOptions {
  /** Rows read per query (the cursor walks on until no due row is left). */
  batchSize?: number;
}

interface Cursor {
  end: Date;
  id: string;
}

interface ReminderRow {
  id: string;
  name: string;
  ownerId: string;
  leaseEndsAt: Date;
}

interface ExpiredRow extends ReminderRow {
  state: MachineState;
  version: number;
  leaseNotifiedAt: Date | null;
  leaseGraceDays: number;
}

// Timestamps are stored as UTC `timestamp(3)` (Prisma's DateTime): parameters are passed as
// ISO text and converted the same way, so no session time zone can shift them.
const ts = (d: Date) => d.toISOString();

/** Reminder due: the lease ends within 7 days and the owner was not told since (end - 7 days). */
function dueReminders(db: Db, now: Date, after: Cursor | null, limit: number) {
  const nowIso = ts(now);
  const afterEnd = after ? ts(after.end) : null;
  const afterId = after?.id ?? null;
  return db.$queryRaw<ReminderRow[]>`
    select m.id, m.name, m."ownerId", m."leaseEndsAt"
      from "Machine" m
     where m.state not in ('DELETING', 'DELETED')
       and m."leaseEndsAt" > (${nowIso}::timestamptz at time zone 'utc')
       and m."leaseEndsAt" <= (${nowIso}::timestamptz at time zone 'utc') + make_interval(days => ${LEASE_REMINDER_DAYS}::int)
       and (m."leaseNotifiedAt" is null or m."leaseNotifiedAt" < m."leaseEndsAt" - make_interval(days => ${LEASE_REMINDER_DAYS}::int))
       and (${afterEnd}::text is null or (m."leaseEndsAt", m.id) > ((${afterEnd}::timestamptz at time zone 'utc'), ${afterId}::uuid))
     order by m."leaseEndsAt", m.id
     limit ${limit}::int`;
}

/**
 * Expiry due, one of: the lease ended and the owner was not told since the end; it ended and
 * the machine runs (within the grace period: stop it); the grace period is over and the
 * machine can be deleted (running, stopped or failed).
 */
function dueExpired(db: Db, now: Date, after: Cursor | null, limit: number) {
  const nowIso = ts(now);
  const afterEnd = after ? ts(after.end) : null;
  const afterId = after?.id ?? null;
  return db.$queryRaw<ExpiredRow[]>`
    select m.id, m.name, m."ownerId", m.state, m.version, m."leaseEndsAt", m."leaseNotifiedAt", p."leaseGraceDays"
      from "Machine" m
      join "Project" p on p.id = m."projectId"
     where m.state not in ('DELETING', 'DELETED')
       and m."leaseEndsAt" <= (${nowIso}::timestamptz at time zone 'utc')
       and (
             m."leaseNotifiedAt" is null
          or m."leaseNotifiedAt" < m."leaseEndsAt"
          or m.state = 'RUNNING'
          or (m.state in ('STOPPED', 'FAILED')
              and m."leaseEndsAt" + make_interval(days => p."leaseGraceDays") <= (${nowIso}::timestamptz at time zone 'utc'))
       )
       and (${afterEnd}::text is null or (m."leaseEndsAt", m.id) > ((${afterEnd}::timestamptz at time zone 'utc'), ${afterId}::uuid))
     order by m."leaseEndsAt", m.id
     limit ${limit}::int`;
}

/** Walks every due row, `limit` at a time, in cursor order. */
async function eachDue<R extends { id: string; leaseEndsAt: Date }>(
  fetch: (after: Cursor | null, limit: number) => Promise<R[]>,
  limit: number,
  handle: (row: R) => Promise<void>,
): Promise<void> {
  let after: Cursor | null = null;
  for (;;) {
    const rows = await fetch(after, limit);
    for (const row of rows) await handle(row);
    if (rows.length < limit) return;
    const last = rows[rows.length - 1];
    after = { end: last.leaseEndsAt, id: last.id };
  }
}

export async function sweepLeases(db: Db, now: Date, log?: Logger, opts: LeaseSweepOptions = {}): Promise<LeaseSweepResult> {
  const out: LeaseSweepResult = { reminded: 0, stopped: 0, expiredNotices: 0, deleted: 0 };
  const limit = Math.max(1, opts.batchSize ?? DEFAULT_BATCH);

  // 1. Reminders.
  await eachDue(
    (after, n) => dueReminders(db, now, after, n),
    limit,
    async (m) => {
      const dueSince = new Date(m.leaseEndsAt.getTime() - LEASE_REMINDER_DAYS * DAY);
      await db.$transaction(async (tx) => {
        const r = await tx.machine.updateMany({
          where: { id: m.id, leaseEndsAt: m.leaseEndsAt, OR: [{ leaseNotifiedAt: null }, { leaseNotifiedAt: { lt: dueSince } }] },
          data: { leaseNotifiedAt: now },
        });
        if (r.count !== 1) return;
        const days = Math.max(1, Math.ceil((m.leaseEndsAt.getTime() - now.getTime()) / DAY));
        await notify(tx, m.ownerId, "lease.expiring", { machineId: m.id, machineName: m.name, leaseEndsAt: m.leaseEndsAt.toISOString(), days }, `/machines/${m.id}`);
        out.reminded++;
      });
    },
  );

  // 2. Expired: tell the owner once (leaseNotifiedAt before the end), stop it if it runs,
  //    delete it once the grace period is over.
  await eachDue(
    (after, n) => dueExpired(db, now, after, n),
    limit,
    async (m) => {
      const end = m.leaseEndsAt;
      const deleteAt = new Date(end.getTime() + m.leaseGraceDays * DAY);
      try {
        // Counted once committed: a conflict rolls the notice back with the operation.
        const done = await db.$transaction(async (tx) => {
          let noticed = false;
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
              noticed = true;
            }
          }
          let action: "DELETE" | "STOP" | null = null;
          if (now >= deleteAt && (m.state === "RUNNING" || m.state === "STOPPED" || m.state === "FAILED")) action = "DELETE";
          else if (now < deleteAt && m.state === "RUNNING") action = "STOP";
          if (action) await createOperation(tx, m, { kind: action, params: { reason: "lease.expired" } });
          return { noticed, action };
        });
        if (done.noticed) out.expiredNotices++;
        if (done.action === "DELETE") out.deleted++;
        if (done.action === "STOP") out.stopped++;
      } catch (err) {
        // Changed by someone in the meantime: the next sweep sees the new state.
        if (err instanceof AppError && err.code === "CONFLICT") return;
        throw err;
      }
    },
  );
  if (out.reminded + out.stopped + out.deleted + out.expiredNotices > 0) log?.info(out, "lease sweep");
  return out;
}

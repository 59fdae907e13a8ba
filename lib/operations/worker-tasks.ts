// The worker tasks of day-to-day operations (registered by lib/orchestration/worker.ts):
// host drains, the host monitor and fencing (HA), maintenance windows, scheduled operations
// and backup policies, backup retention. Payload `now` (ISO) runs a task as of another
// moment (tests, operators), as the lease sweep does.
import type { Task } from "graphile-worker";
import type { Logger } from "pino";
import type { Db } from "../db/client";
import { HOST_DRAIN_TASK } from "../maintenance/drain-jobs";
import { drainTickMs, runDrainTick } from "../maintenance/drain";
import { enqueueMonitor, fenceIncident, HOST_FENCE_TASK, HOST_MONITOR_TASK, hostMonitorMs, monitorHosts } from "../maintenance/host-monitor";
import { tickMaintenanceWindows } from "../maintenance/windows";
import { enqueueDrainTick } from "../maintenance/drain-jobs";
import { fireDueSchedules, SCHEDULER_TASK } from "../schedules/fire";
import { BACKUP_PRUNE_TASK } from "../backups/tasks";
import { pruneAllBackups, pruneBackups } from "../backups/prune";

export const MAINTENANCE_TICK_TASK = "orq-maintenance-tick";

/** Every minute: schedules, windows (and restarting chains that broke); retention nightly. */
export const OPERATIONS_CRONTAB = [
  `* * * * * ${SCHEDULER_TASK} ?max=1`,
  `* * * * * ${MAINTENANCE_TICK_TASK} ?max=1`,
  `30 3 * * * ${BACKUP_PRUNE_TASK} ?max=1`,
  "",
].join("\n");

const at = (payload: unknown, now: () => Date) => {
  const p = (payload ?? {}) as { now?: string };
  return p.now ? new Date(p.now) : now();
};

export function operationsTasks(db: Db, deps: { now: () => Date; log: Logger }): Record<string, Task> {
  const { log } = deps;
  return {
    [HOST_DRAIN_TASK]: async (payload) => {
      const { drainId } = (payload ?? {}) as { drainId?: string };
      if (typeof drainId === "string") await runDrainTick(db, drainId, deps);
    },
    [HOST_MONITOR_TASK]: async (payload) => {
      const every = hostMonitorMs();
      if (every <= 0) return;
      try {
        await monitorHosts(db, { now: () => at(payload, deps.now), log });
      } finally {
        // The next round: a chain of delayed jobs (the minute tick restarts a broken chain).
        await db.$transaction((tx) => enqueueMonitor(tx, new Date(Date.now() + every)));
      }
    },
    [HOST_FENCE_TASK]: async (payload) => {
      const { incidentId } = (payload ?? {}) as { incidentId?: string };
      if (typeof incidentId === "string") await fenceIncident(db, incidentId, deps);
    },
    [MAINTENANCE_TICK_TASK]: async (payload) => {
      const now = at(payload, deps.now);
      await tickMaintenanceWindows(db, now, log);
      // Level-triggered safety net: drains whose job chain broke, and the host monitor.
      const drains = await db.hostDrain.findMany({ where: { status: "RUNNING" }, select: { id: true, hostId: true } });
      await db.$transaction(async (tx) => {
        for (const d of drains) await enqueueDrainTick(tx, d.id, d.hostId, new Date(Date.now() + drainTickMs()));
        if (hostMonitorMs() > 0) await enqueueMonitor(tx);
      });
    },
    [SCHEDULER_TASK]: async (payload) => {
      await fireDueSchedules(db, at(payload, deps.now), log);
    },
    [BACKUP_PRUNE_TASK]: async (payload) => {
      const p = (payload ?? {}) as { policyId?: string };
      const now = at(payload, deps.now);
      if (typeof p.policyId === "string") await pruneBackups(db, p.policyId, now, log);
      else await pruneAllBackups(db, now, log);
    },
  };
}

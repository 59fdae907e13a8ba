// Response schemas of backups, schedules, maintenance windows, drains and host failures
// (lib/api/operations-ops.ts). As in responses.ts: they document the answers, and the handler
// parses every answer with them (unknown keys dropped), so nothing undocumented leaves.
import { z } from "zod";
import { BackupStatus, HostDrainStatus, HostIncidentStatus, HostState, MachineState, MaintenanceWindowStatus, OperationStatus } from "../generated/prisma/enums";
import { SCHEDULE_ACTIONS } from "../schedules/actions";

const id = z.uuid();
const dateTime = z.iso.datetime({ offset: true });
const nullableDateTime = dateTime.nullable();
const named = z.object({ id, name: z.string() });
const cron = z.string().meta({ description: "Five-field cron expression (minute hour day-of-month month day-of-week).", examples: ["0 2 * * *"] });
const timeZone = z.string().meta({ description: "IANA time zone the cron expression is read in (the project's).", examples: ["Europe/Lisbon"] });

// Backups
export const backupView = z
  .object({
    id,
    status: z.enum(BackupStatus),
    machine: z.object({ id, name: z.string().meta({ description: "The machine's name when it was backed up." }), deleted: z.boolean() }),
    project: named,
    policy: named.nullable().meta({ description: "The policy that took it; null for \"Back up now\"." }),
    target: named,
    format: z.string().nullable().meta({ description: "What the bytes are: sim-image, docker-image-tar, lxd-backup-tar, qcow2.", examples: ["qcow2"] }),
    sizeBytes: z.int().min(0).nullable(),
    sha256: z.string().nullable().meta({ description: "SHA-256 of the stored object, hex; checked before every restore.", examples: ["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"] }),
    durationMs: z.int().min(0).nullable(),
    error: z.string().nullable(),
    createdAt: dateTime,
    completedAt: nullableDateTime,
    verifiedAt: nullableDateTime.meta({ description: "When a restore last downloaded it and found its checksum right." }),
    canRestore: z.boolean(),
  })
  .meta({ id: "Backup" });

export const backupPolicyView = z
  .object({
    id,
    name: z.string(),
    project: named,
    machine: named.nullable().meta({ description: "null: every machine of the project." }),
    target: z.string().meta({ description: "The backup target's name." }),
    cron,
    timeZone,
    keepLast: z.int().min(1),
    keepDays: z.int().min(1).nullable(),
    nextRunAt: nullableDateTime,
    lastRunAt: nullableDateTime,
    canManage: z.boolean(),
  })
  .meta({ id: "BackupPolicy" });

export const backupList = z.object({
  items: z.array(backupView).meta({ description: "Newest first, 200 at most." }),
  policies: z.array(backupPolicyView),
  targets: z.array(z.object({ id, name: z.string(), endpoint: z.string(), bucket: z.string() })).meta({ description: "Object stores backups can go to (never their keys)." }),
  machines: z.array(z.object({ id, name: z.string(), projectId: id })).meta({ description: "Machines you may back up." }),
  projects: z.array(z.object({ id, name: z.string(), timeZone })).meta({ description: "Projects you may create policies in." }),
  canManageTargets: z.boolean(),
});

export const backupRequested = z.object({
  backupId: id,
  operationId: id,
  machineId: id,
  state: z.enum(MachineState),
});

export const restoreRequested = z.object({
  operationId: id,
  machineId: id.meta({ description: "The machine being restored (a new one for restore-new)." }),
  state: z.enum(MachineState),
});

export const createdWithNextRun = z.object({ id, nextRunAt: nullableDateTime.meta({ description: "The first occurrence; null when the expression never fires again." }) });
export const idOnly = z.object({ id });
export const backupTargetCreated = z.object({ id, name: z.string() });

// Schedules
export const scheduleView = z
  .object({
    id,
    name: z.string(),
    action: z.enum(SCHEDULE_ACTIONS),
    cron,
    timeZone,
    enabled: z.boolean(),
    keep: z.int().min(1).nullable().meta({ description: "SNAPSHOT_CREATE: at each run, the machine's scheduled snapshots beyond the newest keep are deleted (so keep previous ones and the new one remain). null: all kept." }),
    scope: z.enum(["machine", "project"]).meta({ description: "machine: one machine; project: every machine of the project." }),
    machine: z.string().nullable().meta({ description: "The machine's name (scope machine)." }),
    project: z.string(),
    nextRunAt: nullableDateTime,
    lastRunAt: nullableDateTime,
    canManage: z.boolean(),
    firings: z
      .array(
        z.object({
          occurrence: dateTime,
          outcome: z.enum(["FIRED", "MISSED"]).meta({ description: "MISSED: the workers were down past the grace period, so it did not run late." }),
          operations: z.int().min(0).meta({ description: "Operations it queued." }),
        }),
      )
      .meta({ description: "The latest five firings, newest first." }),
  })
  .meta({ id: "Schedule" });

export const machineAvailability = z.object({
  highlyAvailable: z.boolean().meta({ description: "Restarted on another host when its host fails." }),
  stopWindowCron: cron.nullable().meta({ description: "When the owner's stop window opens (cron in the project's time zone); null: any time." }),
  stopWindowMinutes: z.int().min(15).nullable(),
});

export const scheduleList = z.object({
  timeZone: timeZone.nullable().meta({ description: "The machine's project time zone (with machineId)." }),
  availability: machineAvailability
    .extend({
      stopWindow: z
        .object({ open: z.boolean(), opensAt: nullableDateTime, closesAt: nullableDateTime })
        .nullable()
        .meta({ description: "Whether the stop window is open now, and when it (next) opens and closes; null without a window." }),
    })
    .nullable()
    .meta({ description: "The machine's HA flag and stop window (with machineId)." }),
  canManage: z.boolean().meta({ description: "Whether you may add schedules for the machine (with machineId)." }),
  targets: z.array(named).meta({ description: "Backup targets a BACKUP schedule of the machine may use (with machineId, when you may manage its schedules)." }),
  items: z.array(scheduleView),
});

export const scheduleCreated = z.object({ id, nextRunAt: nullableDateTime, timeZone });
export const scheduleEnabled = z.object({ id, enabled: z.boolean(), nextRunAt: nullableDateTime });
export const machineAvailabilitySet = machineAvailability.extend({ machineId: id });

// Maintenance
const blocked = z.object({
  machineId: id,
  name: z.string(),
  reason: z.enum(["busy", "noMigrate", "stopWindow", "noCapacity", "moveFailed"]),
  detail: z.string().optional(),
  until: dateTime.optional().meta({ description: "stopWindow: when the owner's window opens." }),
});

export const maintenanceOverview = z.object({
  month: z.string().meta({ examples: ["2026-03"] }),
  now: dateTime,
  windows: z.array(
    z.object({
      id,
      where: z.string().meta({ description: "The host's or provider's name." }),
      kind: z.enum(["host", "provider"]),
      startsAt: dateTime,
      endsAt: dateTime,
      reason: z.string(),
      status: z.enum(MaintenanceWindowStatus),
      notified: z.boolean().meta({ description: "Owners of affected machines were notified." }),
    }),
  ),
  drains: z.array(
    z.object({
      id,
      host: z.object({ id, name: z.string(), state: z.enum(HostState) }),
      status: z.enum(HostDrainStatus),
      reason: z.string(),
      machinesAtStart: z.int().min(0),
      remaining: z.int().min(0),
      movedLive: z.int().min(0),
      movedCold: z.int().min(0),
      failedMoves: z.int().min(0),
      blocked: z.array(blocked).meta({ description: "Machines that cannot move now, and why." }),
      startedAt: dateTime,
      finishedAt: nullableDateTime,
      moves: z.array(
        z.object({
          id,
          machine: named,
          status: z.enum(OperationStatus),
          progress: z.int().min(0).max(100),
          mode: z.string().nullable().meta({ description: "live or cold, once known." }),
          error: z.string().nullable(),
        }),
      ),
    }),
  ),
  incidents: z.array(
    z.object({
      id,
      host: z.object({ id, name: z.string(), state: z.enum(HostState) }),
      status: z.enum(HostIncidentStatus),
      reason: z.string(),
      detectedAt: dateTime,
      fencedAt: nullableDateTime,
      haMachines: z.int().min(0),
      otherMachines: z.int().min(0),
    }),
  ),
  hosts: z.array(z.object({ id, name: z.string(), state: z.enum(HostState), provider: z.string() })),
  providers: z.array(named),
});

export const incidentFenced = z.object({ incidentId: id });
export const hostReturned = z.object({ hostId: id, state: z.enum(HostState) });
export const simHostHealth = z.object({ hostId: id, down: z.boolean() });

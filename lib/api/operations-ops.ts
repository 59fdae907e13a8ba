// REST operations of backups, schedules, maintenance windows and host maintenance (issue #15),
// declared like lib/api/operations.ts and listed there in API_OPERATIONS.
import "server-only";
import { z } from "zod";
import { defineOperation } from "./operation";
import { backupMachineSchema, createBackupPolicySchema, listBackupsSchema, restoreBackupSchema, restoreToNewMachineSchema } from "../backups/schemas";
import { listBackups } from "../backups/list-backups";
import { backupMachine } from "../backups/backup-machine";
import { restoreBackup } from "../backups/restore-backup";
import { restoreToNewMachine } from "../backups/restore-to-new-machine";
import { createBackupPolicy } from "../backups/create-backup-policy";
import { createScheduleSchema, listSchedulesSchema, scheduleIdSchema } from "../schedules/schemas";
import { createSchedule } from "../schedules/create-schedule";
import { listSchedules } from "../schedules/list-schedules";
import { deleteSchedule } from "../schedules/update-schedule";
import { createMaintenanceWindowSchema, maintenanceCalendarSchema } from "../maintenance/schemas";
import { createMaintenanceWindow } from "../maintenance/create-maintenance-window";
import { getMaintenanceOverview } from "../maintenance/get-maintenance-overview";
import { setHostMaintenanceSchema } from "../capacity/schemas";
import { setHostMaintenance } from "../capacity/set-host-maintenance";

const anyObject = z.object({}).passthrough();
const accepted = z.object({ operationId: z.uuid(), machineId: z.uuid() }).passthrough();

export const listBackupsOp = defineOperation({
  operationId: "listBackups",
  method: "GET",
  path: "/backups",
  tag: "Backups",
  summary: "List restore points of your projects",
  description: "Newest first (200 at most), with their status, size, SHA-256 and duration; expired ones only with status=EXPIRED. Also the policies and targets.",
  query: listBackupsSchema,
  input: listBackupsSchema,
  verb: listBackups,
  response: anyObject,
  errors: [],
});

export const backupMachineOp = defineOperation({
  operationId: "backupMachine",
  method: "POST",
  path: "/machines/{machineId}/backups",
  tag: "Backups",
  summary: "Back up a machine now",
  description: "Exports the machine's disk to the backup target (operation BACKUP); answers 202 with the backup and operation ids.",
  pathParams: { machineId: "The machine's id." },
  body: backupMachineSchema.omit({ machineId: true }),
  input: backupMachineSchema,
  verb: backupMachine,
  status: 202,
  response: z.object({ backupId: z.uuid(), operationId: z.uuid() }).passthrough(),
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});

export const restoreBackupOp = defineOperation({
  operationId: "restoreBackup",
  method: "POST",
  path: "/backups/{backupId}/restore",
  tag: "Backups",
  summary: "Restore a backup into its machine",
  description: "Operation RESTORE: the stored object's SHA-256 is verified before the machine's disk is replaced.",
  pathParams: { backupId: "The backup's (restore point's) id." },
  input: restoreBackupSchema,
  verb: restoreBackup,
  status: 202,
  response: accepted,
  errors: ["FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});

export const restoreToNewMachineOp = defineOperation({
  operationId: "restoreBackupToNewMachine",
  method: "POST",
  path: "/backups/{backupId}/restore-new",
  tag: "Backups",
  summary: "Restore a backup into a new machine",
  description: "Reserves the project's quota for a machine of the backup's size and provisions it from the verified backup.",
  pathParams: { backupId: "The backup's (restore point's) id." },
  body: restoreToNewMachineSchema.omit({ backupId: true }),
  input: restoreToNewMachineSchema,
  verb: restoreToNewMachine,
  status: 202,
  response: accepted,
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "QUOTA_EXCEEDED"],
});

export const createBackupPolicyOp = defineOperation({
  operationId: "createBackupPolicy",
  method: "POST",
  path: "/backup-policies",
  tag: "Backups",
  summary: "Create a backup policy",
  description: "A cron schedule in the project's time zone, for the project's machines or one machine, with retention (keepLast, keepDays).",
  body: createBackupPolicySchema,
  input: createBackupPolicySchema,
  verb: createBackupPolicy,
  status: 201,
  response: z.object({ id: z.uuid(), nextRunAt: z.string().nullable() }),
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND"],
});

export const listSchedulesOp = defineOperation({
  operationId: "listSchedules",
  method: "GET",
  path: "/schedules",
  tag: "Schedules",
  summary: "List scheduled operations",
  query: listSchedulesSchema,
  input: listSchedulesSchema,
  verb: listSchedules,
  response: anyObject,
  errors: ["NOT_FOUND"],
});

export const createScheduleOp = defineOperation({
  operationId: "createSchedule",
  method: "POST",
  path: "/schedules",
  tag: "Schedules",
  summary: "Schedule an operation",
  description: "START, STOP, REBOOT, SNAPSHOT_CREATE or BACKUP on a cron schedule in the project's time zone, for one machine (machineId) or every machine of a project (projectId).",
  body: createScheduleSchema,
  input: createScheduleSchema,
  verb: createSchedule,
  status: 201,
  response: z.object({ id: z.uuid(), nextRunAt: z.string().nullable(), timeZone: z.string() }),
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND"],
});

export const deleteScheduleOp = defineOperation({
  operationId: "deleteSchedule",
  method: "POST",
  path: "/schedules/{scheduleId}/delete",
  tag: "Schedules",
  summary: "Delete a schedule",
  pathParams: { scheduleId: "The schedule's id." },
  input: scheduleIdSchema,
  verb: deleteSchedule,
  response: z.object({ id: z.uuid() }),
  errors: ["FORBIDDEN", "NOT_FOUND"],
});

export const maintenanceOverviewOp = defineOperation({
  operationId: "getMaintenance",
  method: "GET",
  path: "/maintenance",
  tag: "Maintenance",
  summary: "Maintenance windows of a month, drains and host failures (administrators)",
  query: maintenanceCalendarSchema,
  input: maintenanceCalendarSchema,
  verb: getMaintenanceOverview,
  response: anyObject,
  errors: ["FORBIDDEN"],
});

export const createMaintenanceWindowOp = defineOperation({
  operationId: "createMaintenanceWindow",
  method: "POST",
  path: "/maintenance-windows",
  tag: "Maintenance",
  summary: "Schedule a maintenance window (administrators)",
  description: "For a host (hostId) or a provider (providerId). Owners of affected machines are notified ahead; a host window drains the host at its start.",
  body: createMaintenanceWindowSchema,
  input: createMaintenanceWindowSchema,
  verb: createMaintenanceWindow,
  status: 201,
  response: z.object({ id: z.uuid() }),
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND"],
});

export const setHostMaintenanceOp = defineOperation({
  operationId: "setHostMaintenance",
  method: "POST",
  path: "/hosts/{hostId}/maintenance",
  tag: "Maintenance",
  summary: "Put a host into maintenance (drain) or back into service (administrators)",
  pathParams: { hostId: "The host's id." },
  body: setHostMaintenanceSchema.omit({ hostId: true }),
  input: setHostMaintenanceSchema,
  verb: setHostMaintenance,
  response: z.object({ state: z.string(), drainId: z.uuid().nullable() }),
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});

export const OPERATIONS_API = [
  listBackupsOp,
  backupMachineOp,
  restoreBackupOp,
  restoreToNewMachineOp,
  createBackupPolicyOp,
  listSchedulesOp,
  createScheduleOp,
  deleteScheduleOp,
  maintenanceOverviewOp,
  createMaintenanceWindowOp,
  setHostMaintenanceOp,
] as const;

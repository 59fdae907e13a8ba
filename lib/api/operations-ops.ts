// REST operations of backups, schedules, maintenance windows, host drains and host failures
// (issue #15), declared like lib/api/operations.ts and listed there in API_OPERATIONS.
// Self-service (backups, schedules, a machine's availability) at the top level; what only
// administrators do (targets, maintenance, fencing, the simulator's host faults) under /admin.
import "server-only";
import { defineOperation } from "./operation";
import * as Q from "./queries";
import * as R from "./ops-responses";
import {
  backupMachineSchema,
  backupPolicyIdSchema,
  createBackupPolicySchema,
  createBackupTargetSchema,
  listBackupsSchema,
  restoreBackupSchema,
  restoreToNewMachineSchema,
} from "../backups/schemas";
import { listBackups } from "../backups/list-backups";
import { backupMachine } from "../backups/backup-machine";
import { restoreBackup } from "../backups/restore-backup";
import { restoreToNewMachine } from "../backups/restore-to-new-machine";
import { createBackupPolicy } from "../backups/create-backup-policy";
import { deleteBackupPolicy } from "../backups/delete-backup-policy";
import { createBackupTarget } from "../backups/create-backup-target";
import { createScheduleSchema, listSchedulesSchema, machineAvailabilityFields, scheduleIdSchema, setMachineAvailabilitySchema, setScheduleEnabledSchema } from "../schedules/schemas";
import { createSchedule } from "../schedules/create-schedule";
import { listSchedules } from "../schedules/list-schedules";
import { deleteSchedule, setScheduleEnabled } from "../schedules/update-schedule";
import { setMachineAvailability } from "../schedules/set-machine-availability";
import { createMaintenanceWindowSchema, hostIdSchema, incidentIdSchema, maintenanceCalendarSchema, maintenanceWindowIdSchema } from "../maintenance/schemas";
import { createMaintenanceWindow } from "../maintenance/create-maintenance-window";
import { cancelMaintenanceWindow } from "../maintenance/cancel-maintenance-window";
import { confirmHostFenced } from "../maintenance/confirm-host-fenced";
import { returnHostToService } from "../maintenance/return-host-to-service";
import { getMaintenanceOverview } from "../maintenance/get-maintenance-overview";
import { setSimHostHealth, setSimHostHealthSchema } from "../simulator/set-sim-host-health";

const UUID = "3f6c1c1e-8a51-4c3e-9d6b-0c5a7b2e9f10";

// ---------------------------------------------------------------- backups

export const listBackupsOp = defineOperation({
  operationId: "listBackups",
  method: "GET",
  path: "/backups",
  tag: "Backups",
  summary: "List restore points of your projects",
  description:
    "Newest first (200 at most), with their status, size, SHA-256 and duration; EXPIRED ones only with status=EXPIRED. Also the policies, the targets, and the machines and projects you may back up.",
  query: Q.backupsQuery,
  input: listBackupsSchema,
  verb: listBackups,
  response: R.backupList,
  errors: ["VALIDATION"],
});

export const backupMachineOp = defineOperation({
  operationId: "backupMachine",
  method: "POST",
  path: "/machines/{machineId}/backups",
  tag: "Backups",
  summary: "Back up a machine now",
  description: "Exports the machine's disk to the backup target (operation BACKUP); answers 202 with the backup and operation ids. Poll GET /backups for its status.",
  pathParams: { machineId: "The machine's id." },
  body: backupMachineSchema.omit({ machineId: true }),
  input: backupMachineSchema,
  verb: backupMachine,
  status: 202,
  response: R.backupRequested,
  examples: { request: { targetId: UUID } },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});

export const restoreBackupOp = defineOperation({
  operationId: "restoreBackup",
  method: "POST",
  path: "/backups/{backupId}/restore",
  tag: "Backups",
  summary: "Restore a backup into its machine",
  description: "Operation RESTORE: the stored object's size and SHA-256 are verified before the machine's disk is replaced.",
  pathParams: { backupId: "The backup's (restore point's) id." },
  input: restoreBackupSchema,
  verb: restoreBackup,
  status: 202,
  response: R.restoreRequested,
  errors: ["FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});

export const restoreToNewMachineOp = defineOperation({
  operationId: "restoreBackupToNewMachine",
  method: "POST",
  path: "/backups/{backupId}/restore-new",
  tag: "Backups",
  summary: "Restore a backup into a new machine",
  description: "Reserves the project's quota for a machine of the backup's size and provisions it from the verified backup, on a provider that can import it.",
  pathParams: { backupId: "The backup's (restore point's) id." },
  body: restoreToNewMachineSchema.omit({ backupId: true }),
  input: restoreToNewMachineSchema,
  verb: restoreToNewMachine,
  status: 202,
  response: R.restoreRequested,
  examples: { request: { name: "web-01-restored" } },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "QUOTA_EXCEEDED"],
});

export const createBackupPolicyOp = defineOperation({
  operationId: "createBackupPolicy",
  method: "POST",
  path: "/backup-policies",
  tag: "Backups",
  summary: "Create a backup policy",
  description: "A cron schedule in the project's time zone, for the project's machines or one machine, with retention: the newest keepLast are kept, and none older than keepDays (the newest is never pruned by age).",
  body: createBackupPolicySchema,
  input: createBackupPolicySchema,
  verb: createBackupPolicy,
  status: 201,
  response: R.createdWithNextRun,
  examples: { request: { projectId: UUID, targetId: "5b0b8e7e-2f3a-4d8c-9f61-1c2d3e4f5a6b", name: "Nightly", cron: "0 2 * * *", keepLast: 7, keepDays: 30 } },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND"],
});

export const deleteBackupPolicyOp = defineOperation({
  operationId: "deleteBackupPolicy",
  method: "DELETE",
  path: "/backup-policies/{policyId}",
  tag: "Backups",
  summary: "Delete a backup policy",
  description: "Its restore points stay; they expire only by hand or by another policy's retention.",
  pathParams: { policyId: "The policy's id." },
  input: backupPolicyIdSchema,
  verb: deleteBackupPolicy,
  response: R.idOnly,
  errors: ["FORBIDDEN", "NOT_FOUND"],
});

export const createBackupTargetOp = defineOperation({
  operationId: "adminCreateBackupTarget",
  method: "POST",
  path: "/admin/backup-targets",
  tag: "Administration: backups",
  summary: "Register an S3-compatible backup target (administrators)",
  description: "AWS S3, MinIO, Ceph RGW or any S3-compatible store. The keys are sealed with AES-256-GCM and never sent back.",
  body: createBackupTargetSchema,
  input: createBackupTargetSchema,
  verb: createBackupTarget,
  status: 201,
  response: R.backupTargetCreated,
  examples: {
    request: { name: "Ceph RGW (dc1)", endpoint: "https://rgw.dc1.example.com", region: "us-east-1", bucket: "orquestra-backups", prefix: "prod/", forcePathStyle: true, accessKeyId: "AKIAEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
    response: { id: UUID, name: "Ceph RGW (dc1)" },
  },
  errors: ["VALIDATION", "FORBIDDEN"],
});

// ---------------------------------------------------------------- schedules

export const listSchedulesOp = defineOperation({
  operationId: "listSchedules",
  method: "GET",
  path: "/schedules",
  tag: "Schedules",
  summary: "List scheduled operations",
  description: "With machineId: the machine's own schedules and its project's, the machine's HA flag and stop window, and the project's time zone.",
  query: Q.schedulesQuery,
  input: listSchedulesSchema,
  verb: listSchedules,
  response: R.scheduleList,
  errors: ["VALIDATION", "NOT_FOUND"],
});

export const createScheduleOp = defineOperation({
  operationId: "createSchedule",
  method: "POST",
  path: "/schedules",
  tag: "Schedules",
  summary: "Schedule an operation",
  description:
    "START, STOP, REBOOT, SNAPSHOT_CREATE or BACKUP (with targetId) on a cron schedule in the project's time zone, for one machine (machineId) or every machine of a project (projectId). Each occurrence fires exactly once; machines in a state that does not allow the action are skipped and the firing says so.",
  body: createScheduleSchema,
  input: createScheduleSchema,
  verb: createSchedule,
  status: 201,
  response: R.scheduleCreated,
  examples: { request: { machineId: UUID, name: "Stop at 20:00 on weekdays", action: "STOP", cron: "0 20 * * 1-5" } },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND"],
});

export const setScheduleEnabledOp = defineOperation({
  operationId: "setScheduleEnabled",
  method: "PUT",
  path: "/schedules/{scheduleId}/enabled",
  tag: "Schedules",
  summary: "Pause or resume a schedule",
  description: "Resuming computes the next occurrence from now: occurrences missed while paused do not run.",
  pathParams: { scheduleId: "The schedule's id." },
  body: setScheduleEnabledSchema.omit({ scheduleId: true }),
  input: setScheduleEnabledSchema,
  verb: setScheduleEnabled,
  response: R.scheduleEnabled,
  examples: { request: { enabled: false } },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND"],
});

export const deleteScheduleOp = defineOperation({
  operationId: "deleteSchedule",
  method: "DELETE",
  path: "/schedules/{scheduleId}",
  tag: "Schedules",
  summary: "Delete a schedule",
  pathParams: { scheduleId: "The schedule's id." },
  input: scheduleIdSchema,
  verb: deleteSchedule,
  response: R.idOnly,
  errors: ["FORBIDDEN", "NOT_FOUND"],
});

export const setMachineAvailabilityOp = defineOperation({
  operationId: "setMachineAvailability",
  method: "PUT",
  path: "/machines/{machineId}/availability",
  tag: "Machines",
  summary: "Set a machine's HA flag and its owner's stop window",
  description:
    "highlyAvailable: restarted on another host (after its failed host is fenced). The stop window (a cron start in the project's time zone and a length in minutes, both or neither) is when a host drain may stop the machine for a cold move; without one it may be stopped any time.",
  pathParams: { machineId: "The machine's id." },
  body: machineAvailabilityFields.omit({ machineId: true }),
  input: setMachineAvailabilitySchema,
  verb: setMachineAvailability,
  response: R.machineAvailabilitySet,
  examples: { request: { highlyAvailable: true, stopWindowCron: "0 2 * * 6", stopWindowMinutes: 120 } },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND"],
});

// ---------------------------------------------------------------- maintenance (administrators)

export const maintenanceOverviewOp = defineOperation({
  operationId: "adminGetMaintenance",
  method: "GET",
  path: "/admin/maintenance",
  tag: "Administration: maintenance",
  summary: "Maintenance windows of a month, drains and host failures",
  description: "The windows overlapping the month, the latest 20 drains (with the moves of running ones and why machines wait) and the latest 20 host failures.",
  query: Q.maintenanceQuery,
  input: maintenanceCalendarSchema,
  verb: getMaintenanceOverview,
  response: R.maintenanceOverview,
  errors: ["VALIDATION", "FORBIDDEN"],
});

export const createMaintenanceWindowOp = defineOperation({
  operationId: "adminCreateMaintenanceWindow",
  method: "POST",
  path: "/admin/maintenance-windows",
  tag: "Administration: maintenance",
  summary: "Schedule a maintenance window",
  description: "For a host (hostId) or a provider (providerId). Owners of affected machines are notified ahead; placement avoids the hosts from a lead time before the start; a host window drains the host at its start and returns it at its end.",
  body: createMaintenanceWindowSchema,
  input: createMaintenanceWindowSchema,
  verb: createMaintenanceWindow,
  status: 201,
  response: R.idOnly,
  examples: { request: { hostId: UUID, startsAt: "2026-03-14T22:00:00.000Z", endsAt: "2026-03-15T02:00:00.000Z", reason: "BIOS and BMC firmware update" } },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND"],
});

export const cancelMaintenanceWindowOp = defineOperation({
  operationId: "adminCancelMaintenanceWindow",
  method: "POST",
  path: "/admin/maintenance-windows/{windowId}/cancel",
  tag: "Administration: maintenance",
  summary: "Cancel a maintenance window that has not started",
  description: "A started window ends at its end, or when its host is taken out of maintenance.",
  pathParams: { windowId: "The window's id." },
  input: maintenanceWindowIdSchema,
  verb: cancelMaintenanceWindow,
  response: R.idOnly,
  errors: ["FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});

export const confirmHostFencedOp = defineOperation({
  operationId: "adminConfirmHostFenced",
  method: "POST",
  path: "/admin/host-incidents/{incidentId}/confirm-fenced",
  tag: "Administration: maintenance",
  summary: "Confirm a failed host is powered off",
  description:
    "For a provider that cannot fence by itself: you state that the host is off (IPMI, the PDU, someone at the rack). Its highly-available machines are then restarted on other hosts. Saying so while the host still runs would run those machines twice.",
  pathParams: { incidentId: "The host failure's id." },
  input: incidentIdSchema,
  verb: confirmHostFenced,
  response: R.incidentFenced,
  errors: ["FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});

export const returnHostToServiceOp = defineOperation({
  operationId: "adminReturnHostToService",
  method: "POST",
  path: "/admin/hosts/{hostId}/return-to-service",
  tag: "Administration: maintenance",
  summary: "Return a repaired failed host to service",
  description: "Only a FAILED host; its failures are resolved and placement uses it again.",
  pathParams: { hostId: "The host's id." },
  input: hostIdSchema,
  verb: returnHostToService,
  response: R.hostReturned,
  errors: ["FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});

export const setSimHostHealthOp = defineOperation({
  operationId: "adminSetSimulatorHostHealth",
  method: "PUT",
  path: "/admin/simulator/hosts/{hostId}/health",
  tag: "Administration: simulator",
  summary: "Fail a simulator host on purpose, or heal it",
  description:
    "Fault injection for demos and tests: a down host stops answering the host monitor. CRASH: its machines die with it; PARTITION: they keep running, unreachable (fencing then matters). Simulator hosts only.",
  pathParams: { hostId: "The simulator host's id." },
  body: setSimHostHealthSchema.omit({ hostId: true }),
  input: setSimHostHealthSchema,
  verb: setSimHostHealth,
  response: R.simHostHealth,
  examples: { request: { down: true, mode: "PARTITION" } },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});

export const OPERATIONS_API = [
  listBackupsOp,
  backupMachineOp,
  restoreBackupOp,
  restoreToNewMachineOp,
  createBackupPolicyOp,
  deleteBackupPolicyOp,
  createBackupTargetOp,
  listSchedulesOp,
  createScheduleOp,
  setScheduleEnabledOp,
  deleteScheduleOp,
  setMachineAvailabilityOp,
  maintenanceOverviewOp,
  createMaintenanceWindowOp,
  cancelMaintenanceWindowOp,
  confirmHostFencedOp,
  returnHostToServiceOp,
  setSimHostHealthOp,
] as const;

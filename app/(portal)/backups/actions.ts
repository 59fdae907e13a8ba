"use server";
import { runAction } from "@/lib/actions/run-action";
import { backupMachineSchema, backupPolicyIdSchema, createBackupPolicySchema, createBackupTargetSchema, restoreBackupSchema, restoreToNewMachineSchema } from "@/lib/backups/schemas";
import { backupMachine } from "@/lib/backups/backup-machine";
import { restoreBackup } from "@/lib/backups/restore-backup";
import { restoreToNewMachine } from "@/lib/backups/restore-to-new-machine";
import { createBackupPolicy } from "@/lib/backups/create-backup-policy";
import { deleteBackupPolicy } from "@/lib/backups/delete-backup-policy";
import { createBackupTarget } from "@/lib/backups/create-backup-target";

export async function backupMachineAction(input: unknown) {
  return runAction(backupMachineSchema, input, backupMachine);
}
export async function restoreBackupAction(input: unknown) {
  return runAction(restoreBackupSchema, input, restoreBackup);
}
export async function restoreToNewMachineAction(input: unknown) {
  return runAction(restoreToNewMachineSchema, input, restoreToNewMachine);
}
export async function createBackupPolicyAction(input: unknown) {
  return runAction(createBackupPolicySchema, input, createBackupPolicy);
}
export async function deleteBackupPolicyAction(input: unknown) {
  return runAction(backupPolicyIdSchema, input, deleteBackupPolicy);
}
export async function createBackupTargetAction(input: unknown) {
  return runAction(createBackupTargetSchema, input, createBackupTarget);
}

"use server";
import { runAction } from "@/lib/actions/run-action";
import { createSnapshotSchema, deleteMachineSchema, machineIdSchema, resizeMachineSchema, retryOperationSchema, snapshotRefSchema, renameMachineSchema, setMachineTagsSchema, transferMachineSchema } from "@/lib/machines/schemas";
import { renameMachine } from "@/lib/machines/rename-machine";
import { setMachineTags } from "@/lib/machines/set-machine-tags";
import { transferMachine } from "@/lib/machines/transfer-machine";
import { retryOperation } from "@/lib/machines/retry-operation";
import { startMachine } from "@/lib/machines/start-machine";
import { stopMachine } from "@/lib/machines/stop-machine";
import { rebootMachine } from "@/lib/machines/reboot-machine";
import { resizeMachine } from "@/lib/machines/resize-machine";
import { createSnapshot } from "@/lib/machines/create-snapshot";
import { revertSnapshot } from "@/lib/machines/revert-snapshot";
import { deleteSnapshot } from "@/lib/machines/delete-snapshot";
import { deleteMachine } from "@/lib/machines/delete-machine";
import { requestLeaseExtensionSchema } from "@/lib/leases/schemas";
import { requestLeaseExtension } from "@/lib/leases/request-lease-extension";
import { createScheduleSchema, scheduleIdSchema, setMachineAvailabilitySchema, setScheduleEnabledSchema } from "@/lib/schedules/schemas";
import { createSchedule } from "@/lib/schedules/create-schedule";
import { deleteSchedule, setScheduleEnabled } from "@/lib/schedules/update-schedule";
import { setMachineAvailability } from "@/lib/schedules/set-machine-availability";

export async function startMachineAction(input: unknown) {
  return runAction(machineIdSchema, input, startMachine);
}
export async function stopMachineAction(input: unknown) {
  return runAction(machineIdSchema, input, stopMachine);
}
export async function rebootMachineAction(input: unknown) {
  return runAction(machineIdSchema, input, rebootMachine);
}
export async function resizeMachineAction(input: unknown) {
  return runAction(resizeMachineSchema, input, resizeMachine);
}
export async function createSnapshotAction(input: unknown) {
  return runAction(createSnapshotSchema, input, createSnapshot);
}
export async function revertSnapshotAction(input: unknown) {
  return runAction(snapshotRefSchema, input, revertSnapshot);
}
export async function deleteSnapshotAction(input: unknown) {
  return runAction(snapshotRefSchema, input, deleteSnapshot);
}
export async function deleteMachineAction(input: unknown) {
  return runAction(deleteMachineSchema, input, deleteMachine);
}
export async function requestLeaseExtensionAction(input: unknown) {
  return runAction(requestLeaseExtensionSchema, input, requestLeaseExtension);
}
export async function createScheduleAction(input: unknown) {
  return runAction(createScheduleSchema, input, createSchedule);
}
export async function setScheduleEnabledAction(input: unknown) {
  return runAction(setScheduleEnabledSchema, input, setScheduleEnabled);
}
export async function deleteScheduleAction(input: unknown) {
  return runAction(scheduleIdSchema, input, deleteSchedule);
}
export async function setMachineAvailabilityAction(input: unknown) {
  return runAction(setMachineAvailabilitySchema, input, setMachineAvailability);
}
export async function retryOperationAction(input: unknown) {
  return runAction(retryOperationSchema, input, retryOperation);
}
export async function renameMachineAction(input: unknown) {
  return runAction(renameMachineSchema, input, renameMachine);
}
export async function setMachineTagsAction(input: unknown) {
  return runAction(setMachineTagsSchema, input, setMachineTags);
}
export async function transferMachineAction(input: unknown) {
  return runAction(transferMachineSchema, input, transferMachine);
}

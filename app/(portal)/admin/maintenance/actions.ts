"use server";
import { runAction } from "@/lib/actions/run-action";
import { createMaintenanceWindowSchema, hostIdSchema, incidentIdSchema, maintenanceWindowIdSchema } from "@/lib/maintenance/schemas";
import { createMaintenanceWindow } from "@/lib/maintenance/create-maintenance-window";
import { cancelMaintenanceWindow } from "@/lib/maintenance/cancel-maintenance-window";
import { confirmHostFenced } from "@/lib/maintenance/confirm-host-fenced";
import { returnHostToService } from "@/lib/maintenance/return-host-to-service";
import { setHostMaintenanceSchema } from "@/lib/capacity/schemas";
import { setHostMaintenance } from "@/lib/capacity/set-host-maintenance";
import { setSimHostHealth, setSimHostHealthSchema } from "@/lib/simulator/set-sim-host-health";

export async function createMaintenanceWindowAction(input: unknown) {
  return runAction(createMaintenanceWindowSchema, input, createMaintenanceWindow);
}
export async function cancelMaintenanceWindowAction(input: unknown) {
  return runAction(maintenanceWindowIdSchema, input, cancelMaintenanceWindow);
}
export async function confirmHostFencedAction(input: unknown) {
  return runAction(incidentIdSchema, input, confirmHostFenced);
}
export async function returnHostToServiceAction(input: unknown) {
  return runAction(hostIdSchema, input, returnHostToService);
}
export async function setHostMaintenanceAction(input: unknown) {
  return runAction(setHostMaintenanceSchema, input, setHostMaintenance);
}
export async function setSimHostHealthAction(input: unknown) {
  return runAction(setSimHostHealthSchema, input, setSimHostHealth);
}

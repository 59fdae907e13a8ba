"use server";
import { runAction } from "@/lib/actions/run-action";
import { setHostMaintenanceSchema } from "@/lib/capacity/schemas";
import { setHostMaintenance } from "@/lib/capacity/set-host-maintenance";

export async function setHostMaintenanceAction(input: unknown) {
  return runAction(setHostMaintenanceSchema, input, setHostMaintenance);
}

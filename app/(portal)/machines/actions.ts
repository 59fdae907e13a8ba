"use server";
import { runAction } from "@/lib/actions/run-action";
import { bulkMachineOperationSchema } from "@/lib/machines/schemas";
import { bulkMachineOperation } from "@/lib/machines/bulk-machine-operation";

export async function bulkMachineOperationAction(input: unknown) {
  return runAction(bulkMachineOperationSchema, input, bulkMachineOperation);
}

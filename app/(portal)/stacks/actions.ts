"use server";
import { runAction } from "@/lib/actions/run-action";
import { applyStackSchema, exportMachinesSchema, planStackSchema, saveStackSchema, stackIdSchema } from "@/lib/stacks/schemas";
import { exportMachines } from "@/lib/stacks/export-machines";
import { saveStack } from "@/lib/stacks/save-stack";
import { applyStack, destroyStack, planStack } from "@/lib/stacks/apply-stack";

export async function saveStackAction(input: unknown) {
  return runAction(saveStackSchema, input, saveStack);
}

export async function planStackAction(input: unknown) {
  return runAction(planStackSchema, input, planStack);
}

export async function applyStackAction(input: unknown) {
  return runAction(applyStackSchema, input, applyStack);
}

export async function destroyStackAction(input: unknown) {
  return runAction(stackIdSchema, input, destroyStack);
}

export async function exportMachinesAction(input: unknown) {
  return runAction(exportMachinesSchema, input, exportMachines);
}

"use server";
import { runAction } from "@/lib/actions/run-action";
import { projectCostSettingsSchema } from "@/lib/costs/schemas";
import { updateProjectCostSettings } from "@/lib/costs/project-cost-settings";

export async function updateProjectCostSettingsAction(input: unknown) {
  return runAction(projectCostSettingsSchema, input, updateProjectCostSettings);
}

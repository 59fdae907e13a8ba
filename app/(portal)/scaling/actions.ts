"use server";
import { runAction } from "@/lib/actions/run-action";
import { createScalingGroupSchema, deleteScalingGroupSchema, updateScalingGroupSchema } from "@/lib/scaling/schemas";
import { createScalingGroup, deleteScalingGroup, updateScalingGroup } from "@/lib/scaling/manage-groups";

export async function createScalingGroupAction(input: unknown) {
  return runAction(createScalingGroupSchema, input, createScalingGroup);
}

export async function updateScalingGroupAction(input: unknown) {
  return runAction(updateScalingGroupSchema, input, updateScalingGroup);
}

export async function deleteScalingGroupAction(input: unknown) {
  return runAction(deleteScalingGroupSchema, input, deleteScalingGroup);
}

"use server";
import { runAction } from "@/lib/actions/run-action";
import { deleteWorkloadSchema, requestWorkloadSchema, rolloutWorkloadSchema, scaleWorkloadSchema, workloadIdSchema } from "@/lib/workloads/schemas";
import { requestWorkload } from "@/lib/workloads/request-workload";
import { deleteWorkload, restartWorkload, rolloutWorkload, scaleWorkload } from "@/lib/workloads/operate-workload";

export async function requestWorkloadAction(input: unknown) {
  return runAction(requestWorkloadSchema, input, requestWorkload);
}
export async function scaleWorkloadAction(input: unknown) {
  return runAction(scaleWorkloadSchema, input, scaleWorkload);
}
export async function rolloutWorkloadAction(input: unknown) {
  return runAction(rolloutWorkloadSchema, input, rolloutWorkload);
}
export async function restartWorkloadAction(input: unknown) {
  return runAction(workloadIdSchema, input, restartWorkload);
}
export async function deleteWorkloadAction(input: unknown) {
  return runAction(deleteWorkloadSchema, input, deleteWorkload);
}

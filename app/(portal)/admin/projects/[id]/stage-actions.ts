"use server";
import { runAction } from "@/lib/actions/run-action";
import { setApprovalStagesSchema } from "@/lib/approvals/schemas";
import { setApprovalStages } from "@/lib/approvals/set-approval-stages";

export async function setApprovalStagesAction(input: unknown) {
  return runAction(setApprovalStagesSchema, input, setApprovalStages);
}

"use server";
import { runAction } from "@/lib/actions/run-action";
import { approveRequestSchema, bulkDecideSchema, rejectRequestSchema } from "@/lib/approvals/schemas";
import { bulkDecide } from "@/lib/approvals/bulk-decide";
import { approveRequest } from "@/lib/approvals/approve-request";
import { rejectRequest } from "@/lib/approvals/reject-request";

export async function approveRequestAction(input: unknown) {
  return runAction(approveRequestSchema, input, approveRequest);
}

export async function rejectRequestAction(input: unknown) {
  return runAction(rejectRequestSchema, input, rejectRequest);
}

export async function bulkDecideAction(input: unknown) {
  return runAction(bulkDecideSchema, input, bulkDecide);
}

"use server";
import { runAction } from "@/lib/actions/run-action";
import { addRequestCommentSchema, resubmitRequestSchema } from "@/lib/requests/schemas";
import { addRequestComment } from "@/lib/requests/add-request-comment";
import { resubmitRequest } from "@/lib/requests/resubmit-request";

export async function addRequestCommentAction(input: unknown) {
  return runAction(addRequestCommentSchema, input, addRequestComment);
}

export async function resubmitRequestAction(input: unknown) {
  return runAction(resubmitRequestSchema, input, resubmitRequest);
}

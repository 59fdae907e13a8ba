"use server";
import { runAction } from "@/lib/actions/run-action";
import { requestIdSchema } from "@/lib/requests/schemas";
import { cancelRequest } from "@/lib/requests/cancel-request";

export async function cancelRequestAction(input: unknown) {
  return runAction(requestIdSchema, input, cancelRequest);
}

"use server";
import { runAction } from "@/lib/actions/run-action";
import { submitRequestSchema } from "@/lib/requests/schemas";
import { submitRequest } from "@/lib/requests/submit-request";

export async function submitRequestAction(input: unknown) {
  return runAction(submitRequestSchema, input, submitRequest);
}

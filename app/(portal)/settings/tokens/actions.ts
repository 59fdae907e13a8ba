"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/actions/run-action";
import { createApiTokenSchema, revokeApiTokenSchema } from "@/lib/apitokens/schemas";
import { createApiToken } from "@/lib/apitokens/create-api-token";
import { revokeApiToken } from "@/lib/apitokens/revoke-api-token";

export async function createApiTokenAction(input: unknown) {
  const r = await runAction(createApiTokenSchema, input, createApiToken);
  if (r.ok) revalidatePath("/settings/tokens");
  return r;
}

export async function revokeApiTokenAction(input: unknown) {
  const r = await runAction(revokeApiTokenSchema, input, revokeApiToken);
  if (r.ok) revalidatePath("/settings/tokens");
  return r;
}

"use server";
import { runAction } from "@/lib/actions/run-action";
import { createProviderSchema } from "@/lib/providers/schemas";
import { createProvider } from "@/lib/providers/create-provider";

export async function createProviderAction(input: unknown) {
  return runAction(createProviderSchema, input, createProvider);
}

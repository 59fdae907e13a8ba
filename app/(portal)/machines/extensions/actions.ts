"use server";
import { runAction } from "@/lib/actions/run-action";
import { decideLeaseExtensionSchema } from "@/lib/leases/schemas";
import { decideLeaseExtension } from "@/lib/leases/decide-lease-extension";

export async function decideLeaseExtensionAction(input: unknown) {
  return runAction(decideLeaseExtensionSchema, input, decideLeaseExtension);
}

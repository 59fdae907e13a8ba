"use server";
import { runAction } from "@/lib/actions/run-action";
import { importUnmanagedSchema, providerIdSchema, setOfferingSizesSchema, setProviderEnabledSchema, updateProviderSchema } from "@/lib/providers/schemas";
import { deleteProvider } from "@/lib/providers/delete-provider";
import { setOfferingSizes } from "@/lib/providers/set-offering-sizes";
import { updateProvider } from "@/lib/providers/update-provider";
import { testProviderConnection } from "@/lib/providers/test-provider-connection";
import { discoverHosts } from "@/lib/providers/discover-hosts";
import { syncProviderNow } from "@/lib/providers/sync-provider-now";
import { setProviderEnabled } from "@/lib/providers/set-provider-enabled";
import { importUnmanagedMachine } from "@/lib/providers/import-unmanaged-machine";

export async function updateProviderAction(input: unknown) {
  return runAction(updateProviderSchema, input, updateProvider);
}
export async function testProviderConnectionAction(input: unknown) {
  return runAction(providerIdSchema, input, testProviderConnection);
}
export async function discoverHostsAction(input: unknown) {
  return runAction(providerIdSchema, input, discoverHosts);
}
export async function syncProviderNowAction(input: unknown) {
  return runAction(providerIdSchema, input, syncProviderNow);
}
export async function setProviderEnabledAction(input: unknown) {
  return runAction(setProviderEnabledSchema, input, setProviderEnabled);
}
export async function importUnmanagedMachineAction(input: unknown) {
  return runAction(importUnmanagedSchema, input, importUnmanagedMachine);
}
export async function deleteProviderAction(input: unknown) {
  return runAction(providerIdSchema, input, deleteProvider);
}
export async function setOfferingSizesAction(input: unknown) {
  return runAction(setOfferingSizesSchema, input, setOfferingSizes);
}

import "server-only";
import type { ProviderKind } from "../generated/prisma/enums";
import { providerDriverRegistry } from "./provider-driver";
import { PROVIDER_KINDS } from "./kinds";

/** The kinds Orquestra has a driver for (the form says so for the others). */
export function kindsWithDriver(): ProviderKind[] {
  const registry = providerDriverRegistry();
  return PROVIDER_KINDS.filter((k) => registry[k].create !== null);
}

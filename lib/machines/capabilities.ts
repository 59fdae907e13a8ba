// What each kind of provider can do beyond the required driver core, read from the driver
// profiles (lib/drivers/<kind>/profile.ts) so the web side offers only the actions a machine's
// provider supports without loading driver code (which may pull in SDKs). The drivers take
// their `capabilities` from the same profiles; the conformance suite is where they are proven.
import type { ProviderKind } from "../generated/prisma/enums";
import type { Capability } from "../drivers/types";
import { DRIVER_PROFILES } from "../drivers/profiles";

export const PROVIDER_CAPABILITIES: Record<ProviderKind, readonly Capability[]> = Object.fromEntries(
  Object.entries(DRIVER_PROFILES).map(([kind, profile]) => [kind, profile.capabilities]),
) as Record<ProviderKind, readonly Capability[]>;

/** A machine not yet placed on a provider has no optional capability. */
export function hasCapability(kind: ProviderKind | null | undefined, capability: Capability): boolean {
  return !!kind && PROVIDER_CAPABILITIES[kind].includes(capability);
}

/** Can a resize on this kind move the disk to another tier (the profile's `migratesDiskTier`)? */
export const migratesDiskTier = (kind: ProviderKind | null | undefined): boolean => !!kind && DRIVER_PROFILES[kind].migratesDiskTier === true;

/** Does this kind rename machines on the provider (the profile's `renamesMachines`)? */
export const renamesMachines = (kind: ProviderKind | null | undefined): boolean => !!kind && DRIVER_PROFILES[kind].renamesMachines === true;

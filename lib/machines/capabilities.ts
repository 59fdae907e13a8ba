// What each kind of provider can do beyond the required driver core. The web side needs it
// to offer only the actions a machine's provider supports, without loading driver code
// (which may pull in SDKs) into the web process. Keep in step with each driver's
// `capabilities` (the driver conformance suite is where they are proven).
import type { ProviderKind } from "../generated/prisma/enums";
import type { Capability } from "../drivers/types";

export const PROVIDER_CAPABILITIES: Record<ProviderKind, readonly Capability[]> = {
  SIMULATOR: ["snapshots", "resize", "migrate"],
  VSPHERE: ["snapshots", "resize"],
  LIBVIRT: ["snapshots", "resize"],
  LXD: ["snapshots", "resize"],
  // Containers: resources can be changed in place; there is no disk snapshot.
  DOCKER: ["resize"],
  // No driver yet: nothing optional is offered.
  HYPERV: [],
  KUBERNETES: [],
  EC2: [],
};

/** A machine not yet placed on a provider has no optional capability. */
export function hasCapability(kind: ProviderKind | null | undefined, capability: Capability): boolean {
  return !!kind && PROVIDER_CAPABILITIES[kind].includes(capability);
}

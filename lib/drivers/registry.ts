// Driver registry: one descriptor per provider kind (lib/drivers/<kind>/descriptor.ts), keyed by
// the Prisma enum so adding a kind to the schema without deciding its driver here is a compile
// error (openstatus' Record<Provider, ...>). A new driver is one folder plus one line here (and
// its profile's line in profiles.ts, the browser-safe twin of this table).
// Importing this module loads no driver code: each descriptor's factory imports its driver
// when a driver is first built.
import type { ProviderKind } from "../generated/prisma/enums";
import { openCredentials } from "../crypto/seal";
import type { DriverDeps, DriverDescriptor } from "./descriptor";
import { simulatorDescriptor } from "./simulator/descriptor";
import { vsphereDescriptor } from "./vsphere/descriptor";
import { libvirtDescriptor } from "./libvirt/descriptor";
import { lxdDescriptor } from "./lxd/descriptor";
import { dockerDescriptor } from "./docker/descriptor";
import { hypervDescriptor } from "./hyperv/descriptor";
import { kubernetesDescriptor } from "./kubernetes/descriptor";
import { ec2Descriptor } from "./ec2/descriptor";
import { azureDescriptor } from "./azure/descriptor";
import { DriverError, type Driver } from "./types";

export type { DriverDeps, DriverDescriptor, DriverFactory } from "./descriptor";

export type DriverRegistry = Record<ProviderKind, DriverDescriptor>;

export const DRIVERS: DriverRegistry = {
  SIMULATOR: simulatorDescriptor,
  VSPHERE: vsphereDescriptor,
  LIBVIRT: libvirtDescriptor,
  LXD: lxdDescriptor,
  DOCKER: dockerDescriptor,
  HYPERV: hypervDescriptor,
  KUBERNETES: kubernetesDescriptor,
  EC2: ec2Descriptor,
  AZURE: azureDescriptor,
};

export interface ProviderForDriver {
  id: string;
  name?: string;
  kind: ProviderKind;
  endpoint: string;
  credentialsEnc: string | null;
  config: unknown;
}

/**
 * Builds the driver for a provider row, opening its sealed credentials (bound to the provider
 * id). The one way to build a driver; whoever calls it closes the driver (`close()` in
 * `finally`).
 */
export async function driverFor(provider: ProviderForDriver, deps: DriverDeps, registry: DriverRegistry = DRIVERS): Promise<Driver> {
  const create = registry[provider.kind].create;
  if (!create) {
    throw new DriverError("UNSUPPORTED", `Orquestra has no driver for ${provider.kind} providers yet`, false);
  }
  let credentials: Record<string, string> = {};
  if (provider.credentialsEnc) {
    try {
      credentials = openCredentials(provider.credentialsEnc, { associatedData: provider.id });
    } catch {
      throw new DriverError("AUTH", `The credentials of provider ${provider.name ?? provider.id} could not be opened; enter them again`, false);
    }
  }
  const config = provider.config && typeof provider.config === "object" && !Array.isArray(provider.config) ? (provider.config as Record<string, unknown>) : {};
  return create({ providerId: provider.id, endpoint: provider.endpoint, credentials, config }, deps);
}

/** A registry where `kind` builds drivers with `create` (tests put an in-test driver there). */
export function withFactory(registry: DriverRegistry, kind: ProviderKind, create: NonNullable<DriverDescriptor["create"]>): DriverRegistry {
  return { ...registry, [kind]: { ...registry[kind], create } };
}

/** Frees what every kind keeps across drivers (pooled sessions); for a process shutting down. */
export async function closeDriverPools(registry: DriverRegistry = DRIVERS): Promise<void> {
  await Promise.allSettled(Object.values(registry).map((d) => d.closeAll?.()));
}

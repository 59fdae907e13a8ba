// Driver registry, keyed by the Prisma enum of provider kinds: adding a kind to the schema
// without deciding its driver here is a compile error (openstatus' Record<Provider, ...>).
// `null` means "no driver yet": operations on such providers fail with DriverError UNSUPPORTED.
// Driver engineers: register a factory by replacing the `null` of your kind.
import type { Db } from "../db/client";
import type { ProviderKind } from "../generated/prisma/enums";
import { openCredentials } from "../crypto/seal";
import { SimulatorDriver } from "./simulator/simulator-driver";
import { DockerDriver } from "./docker/docker-driver";
import { LxdDriver } from "./lxd/lxd-driver";
import { LibvirtDriver } from "./libvirt/libvirt-driver";
import { VsphereDriver } from "./vsphere/vsphere-driver";
import { DriverError, type Driver, type DriverConfig } from "./types";

export interface DriverDeps {
  /** The database (the simulator keeps its inventory there). */
  db: Db;
}

export type DriverFactory = (config: DriverConfig, deps: DriverDeps) => Driver | Promise<Driver>;

export const DRIVERS: Record<ProviderKind, DriverFactory | null> = {
  SIMULATOR: (config, deps) => new SimulatorDriver(config, deps.db),
  VSPHERE: (c) => new VsphereDriver(c),
  LIBVIRT: (c) => new LibvirtDriver(c),
  LXD: (c) => new LxdDriver(c),
  DOCKER: (c) => new DockerDriver(c),
  HYPERV: null,
  KUBERNETES: null,
  EC2: null,
};

export interface ProviderForDriver {
  id: string;
  name?: string;
  kind: ProviderKind;
  endpoint: string;
  credentialsEnc: string | null;
  config: unknown;
}

/** Builds the driver for a provider row, opening its sealed credentials (bound to the provider id). */
export async function driverFor(provider: ProviderForDriver, deps: DriverDeps, registry: Record<ProviderKind, DriverFactory | null> = DRIVERS): Promise<Driver> {
  const factory = registry[provider.kind];
  if (!factory) {
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
  return factory({ providerId: provider.id, endpoint: provider.endpoint, credentials, config }, deps);
}

// The browser-safe table of provider kinds: each kind's profile (capabilities and provider
// form settings), keyed by the Prisma enum so a new kind without a profile is a compile error.
// lib/drivers/registry.ts is the server-side table (profiles plus factories); a test checks
// that the two agree. The order here is the order of the provider form's kind list.
import type { ProviderKind } from "../generated/prisma/enums";
import type { DriverProfile } from "./descriptor";
import { simulatorProfile } from "./simulator/profile";
import { vsphereProfile } from "./vsphere/profile";
import { libvirtProfile } from "./libvirt/profile";
import { lxdProfile } from "./lxd/profile";
import { dockerProfile } from "./docker/profile";
import { hypervProfile } from "./hyperv/profile";
import { kubernetesProfile } from "./kubernetes/profile";
import { ec2Profile } from "./ec2/profile";
import { azureProfile } from "./azure/profile";

export const DRIVER_PROFILES: Record<ProviderKind, DriverProfile> = {
  SIMULATOR: simulatorProfile,
  VSPHERE: vsphereProfile,
  LIBVIRT: libvirtProfile,
  LXD: lxdProfile,
  DOCKER: dockerProfile,
  HYPERV: hypervProfile,
  KUBERNETES: kubernetesProfile,
  EC2: ec2Profile,
  AZURE: azureProfile,
};

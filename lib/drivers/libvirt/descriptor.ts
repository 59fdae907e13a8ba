// libvirt's descriptor: its profile and a lazy factory (lib/drivers/descriptor.ts).
import type { DriverDescriptor } from "../descriptor";
import { libvirtProfile } from "./profile";

export const libvirtDescriptor: DriverDescriptor = {
  ...libvirtProfile,
  create: async (config) => new (await import("./libvirt-driver")).LibvirtDriver(config),
};

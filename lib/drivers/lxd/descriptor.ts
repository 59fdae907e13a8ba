// LXD's descriptor: its profile and a lazy factory (lib/drivers/descriptor.ts).
import type { DriverDescriptor } from "../descriptor";
import { lxdProfile } from "./profile";

export const lxdDescriptor: DriverDescriptor = {
  ...lxdProfile,
  create: async (config) => new (await import("./lxd-driver")).LxdDriver(config),
};

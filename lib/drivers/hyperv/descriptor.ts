// Hyper-V's descriptor: its profile and a lazy factory (lib/drivers/descriptor.ts).
import type { DriverDescriptor } from "../descriptor";
import { hypervProfile } from "./profile";

export const hypervDescriptor: DriverDescriptor = {
  ...hypervProfile,
  create: async (config) => new (await import("./hyperv-driver")).HypervDriver(config),
};

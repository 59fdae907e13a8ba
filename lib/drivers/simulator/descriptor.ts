// The simulator's descriptor: its profile and a lazy factory (lib/drivers/descriptor.ts).
import type { DriverDescriptor } from "../descriptor";
import { simulatorProfile } from "./profile";

export const simulatorDescriptor: DriverDescriptor = {
  ...simulatorProfile,
  create: async (config, deps) => new (await import("./simulator-driver")).SimulatorDriver(config, deps.db),
};

// Azure's descriptor: its profile and a lazy factory (lib/drivers/descriptor.ts).
import type { DriverDescriptor } from "../descriptor";
import { azureProfile } from "./profile";

export const azureDescriptor: DriverDescriptor = {
  ...azureProfile,
  create: async (config) => new (await import("./azure-driver")).AzureDriver(config),
};

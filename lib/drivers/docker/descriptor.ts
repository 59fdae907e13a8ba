// Docker's descriptor: its profile and a lazy factory (lib/drivers/descriptor.ts).
import type { DriverDescriptor } from "../descriptor";
import { dockerProfile } from "./profile";

export const dockerDescriptor: DriverDescriptor = {
  ...dockerProfile,
  create: async (config) => new (await import("./docker-driver")).DockerDriver(config),
};

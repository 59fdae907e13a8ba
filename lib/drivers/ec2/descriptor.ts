// EC2's descriptor: its profile and a lazy factory (lib/drivers/descriptor.ts). The AWS SDK is
// loaded only when a driver is built.
import type { DriverDescriptor } from "../descriptor";
import { ec2Profile } from "./profile";

export const ec2Descriptor: DriverDescriptor = {
  ...ec2Profile,
  create: async (config) => new (await import("./ec2-driver")).Ec2Driver(config),
};

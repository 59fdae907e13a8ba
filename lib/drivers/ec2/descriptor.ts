// EC2's descriptor: no driver yet. Providers of this kind can be registered; operations
// on them fail with DriverError UNSUPPORTED, and "Test connection" says so.
import type { DriverDescriptor } from "../descriptor";
import { ec2Profile } from "./profile";

export const ec2Descriptor: DriverDescriptor = { ...ec2Profile, create: null };

// Hyper-V's descriptor: no driver yet. Providers of this kind can be registered; operations
// on them fail with DriverError UNSUPPORTED, and "Test connection" says so.
import type { DriverDescriptor } from "../descriptor";
import { hypervProfile } from "./profile";

export const hypervDescriptor: DriverDescriptor = { ...hypervProfile, create: null };

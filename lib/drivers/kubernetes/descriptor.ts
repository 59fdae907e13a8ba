// Kubernetes's descriptor: no driver yet. Providers of this kind can be registered; operations
// on them fail with DriverError UNSUPPORTED, and "Test connection" says so.
import type { DriverDescriptor } from "../descriptor";
import { kubernetesProfile } from "./profile";

export const kubernetesDescriptor: DriverDescriptor = { ...kubernetesProfile, create: null };

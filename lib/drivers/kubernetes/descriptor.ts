// Kubernetes's descriptor: a cluster runs container workloads (Deployment + Service + HPA);
// machine operations answer UNSUPPORTED. The driver module loads only when a provider is used.
import type { DriverDescriptor } from "../descriptor";
import { kubernetesProfile } from "./profile";

export const kubernetesDescriptor: DriverDescriptor = {
  ...kubernetesProfile,
  create: async (config) => new (await import("./kubernetes-driver")).KubernetesDriver(config),
};

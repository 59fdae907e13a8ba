// Kubernetes' profile: a cluster (API URL + bearer token, optional CA) that runs container
// workloads, one namespace per project (see kubernetes-driver.ts).
import { z } from "zod";
import type { DriverProfile } from "../descriptor";
import { configName, pem } from "../settings-fields";

export const kubernetesProfile = {
  kind: "KUBERNETES" as const,
  capabilities: [],
  cloud: "private",
  sizing: "exact",
  templateRefExample: "registry.example.com/base/ubuntu:24.04",
  settings: {
    endpoint: { pattern: /^https:\/\/[^\s/]+(\/\S*)?$/, example: "https://k8s.example.com:6443", optional: false },
    credentials: [{ key: "token", required: true, secret: true }, pem("ca")],
    config: {
      schema: z.strictObject({ namespace: configName.optional(), storageClass: configName.optional() }),
      fields: [
        { key: "namespace", input: "text", example: "orquestra", section: "placement" },
        { key: "storageClass", input: "text", example: "fast-ssd", section: "storage" },
      ],
    },
  },
} satisfies DriverProfile;

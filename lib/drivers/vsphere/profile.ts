// vSphere's profile (browser-safe half of its descriptor; see lib/drivers/descriptor.ts).
import { z } from "zod";
import type { DriverProfile } from "../descriptor";
import { callTimeoutMs, configName, k, positiveSeconds, userPassword } from "../settings-fields";

export const vsphereProfile = {
  kind: "VSPHERE" as const,
  capabilities: ["snapshots", "resize"],
  settings: {
    endpoint: { pattern: /^https?:\/\/[^\s/]+(\/\S*)?$/, example: "https://vcenter.example.com/sdk", optional: false },
    credentials: userPassword,
    config: {
      schema: z.strictObject({
        datacenter: configName.optional(),
        cluster: configName.optional(),
        datastore: configName.optional(),
        folder: configName.optional(),
        resourcePool: configName.optional(),
        network: configName.optional(),
        insecure: z.boolean({ error: k("configBoolean") }).optional(),
        callTimeoutMs: callTimeoutMs.optional(),
        // How long an unused logged-in session is kept for the next operation (then logged out).
        sessionIdleSeconds: positiveSeconds(3600).optional(),
      }),
      example: '{ "datacenter": "DC0", "cluster": "DC0_C0", "datastore": "LocalDS_0" }',
    },
  },
} satisfies DriverProfile;

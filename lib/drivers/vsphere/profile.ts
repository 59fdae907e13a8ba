// vSphere's profile (browser-safe half of its descriptor; see lib/drivers/descriptor.ts).
import { z } from "zod";
import type { DriverProfile } from "../descriptor";
import { callTimeoutField, callTimeoutMs, configName, k, positiveSeconds, userPassword } from "../settings-fields";

export const vsphereProfile = {
  kind: "VSPHERE" as const,
  // No "console": a browser console needs a WebMKS ticket (VirtualMachine.AcquireTicket
  // "webmks") and an ESXi host streaming the screen; vcsim answers MethodNotFound to
  // AcquireTicket and AcquireMksTicket, so nothing here could be tested (lib/console/availability.test.ts).
  capabilities: ["snapshots", "resize", "cloudInit", "metrics"],
  cloud: "private",
  sizing: "exact",
  templateRefExample: "tpl-ubuntu-24.04",
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
      fields: [
        { key: "datacenter", input: "text", example: "DC0", section: "placement" },
        { key: "cluster", input: "text", example: "DC0_C0", section: "placement" },
        { key: "resourcePool", input: "text", example: "Resources", section: "placement" },
        { key: "folder", input: "text", example: "orquestra", section: "placement" },
        { key: "network", input: "text", example: "VM Network", section: "placement" },
        { key: "datastore", input: "text", example: "LocalDS_0", section: "storage" },
        { key: "insecure", input: "boolean", section: "connection" },
        { key: "sessionIdleSeconds", input: "number", example: "300", section: "advanced" },
        callTimeoutField,
      ],
    },
  },
} satisfies DriverProfile;

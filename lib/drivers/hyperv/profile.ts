// Hyper-V's profile: providers of this kind can be registered (and their form validated);
// there is no driver yet (see descriptor.ts).
import { z } from "zod";
import type { DriverProfile } from "../descriptor";
import { configName, userPassword } from "../settings-fields";

export const hypervProfile = {
  kind: "HYPERV" as const,
  capabilities: [],
  settings: {
    endpoint: { pattern: /^(https?:\/\/)?[^\s/]+(\/\S*)?$/, example: "https://hyperv01.example.com:5986/wsman", optional: false },
    credentials: userPassword,
    config: {
      schema: z.strictObject({ virtualSwitch: configName.optional(), storagePath: configName.optional() }),
      example: '{ "virtualSwitch": "Default Switch" }',
    },
  },
} satisfies DriverProfile;

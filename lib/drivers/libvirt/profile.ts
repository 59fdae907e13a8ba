// libvirt's profile (browser-safe half of its descriptor; see lib/drivers/descriptor.ts).
import { z } from "zod";
import type { DriverProfile } from "../descriptor";
import { callTimeoutMs, configName, k, positiveSeconds } from "../settings-fields";

export const libvirtProfile = {
  kind: "LIBVIRT" as const,
  capabilities: ["snapshots", "resize"],
  settings: {
    endpoint: { pattern: /^[a-z0-9+]+:\/\/\S*$/i, example: "qemu+ssh://root@kvm01.example.com/system", optional: false },
    // A unix socket needs none; qemu+ssh:// uses the server's ssh agent and keys.
    credentials: [],
    config: {
      // Executable paths (virshPath) are deliberately not settable from the browser.
      schema: z.strictObject({
        storagePool: configName.optional(),
        domainType: z.enum(["kvm", "qemu", "test"], { error: k("configDomainType") }).optional(),
        stopTimeoutSeconds: positiveSeconds(3600).optional(),
        callTimeoutMs: callTimeoutMs.optional(),
        serialLogDir: z.string({ error: k("configString") }).regex(/^\/\S*$/, k("configAbsolutePath")).optional(),
      }),
      example: '{ "storagePool": "default", "domainType": "kvm" }',
    },
  },
} satisfies DriverProfile;

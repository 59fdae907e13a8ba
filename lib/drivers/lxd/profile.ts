// LXD's profile (browser-safe half of its descriptor; see lib/drivers/descriptor.ts).
import { z } from "zod";
import type { DriverProfile } from "../descriptor";
import { callTimeoutField, callTimeoutMs, configName, pem, positiveSeconds, stopTimeoutField } from "../settings-fields";

export const lxdProfile = {
  kind: "LXD" as const,
  // backup: LXD's own instance backups (export tarball, import under a name).
  // console: a shell in the instance (an interactive exec over LXD's WebSockets).
  capabilities: ["snapshots", "resize", "backup", "metrics", "cloudInit", "console"],
  console: "shell",
  cloud: "private",
  sizing: "exact",
  templateRefExample: "ubuntu-24.04",
  settings: {
    endpoint: { pattern: /^(unix:\/\/\/\S+|https:\/\/[^\s/]+\/?)$/, example: "unix:///var/snap/lxd/common/lxd/unix.socket", optional: false },
    // A unix socket needs none; https://host:8443 uses a trusted client certificate.
    credentials: [pem("ca"), pem("cert"), pem("key")],
    config: {
      schema: z.strictObject({
        storagePool: configName.optional(),
        stopTimeoutSeconds: positiveSeconds(3600).optional(),
        callTimeoutMs: callTimeoutMs.optional(),
      }),
      fields: [{ key: "storagePool", input: "text", example: "default", section: "storage" }, stopTimeoutField, callTimeoutField],
    },
  },
} satisfies DriverProfile;

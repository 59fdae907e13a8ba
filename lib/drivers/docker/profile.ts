// Docker's profile (browser-safe half of its descriptor; see lib/drivers/descriptor.ts).
import { z } from "zod";
import type { DriverProfile } from "../descriptor";
import { callTimeoutField, callTimeoutMs, configName, k, pem, positiveSeconds, stopTimeoutField } from "../settings-fields";

export const dockerProfile = {
  kind: "DOCKER" as const,
  // Containers: resources can be changed in place; there is no disk snapshot. Backups are
  // native: commit + save of the container's image, load + recreate on restore.
  // A shell in the container (exec with a TTY) is its console.
  capabilities: ["resize", "backup", "metrics", "console"],
  console: "shell",
  cloud: "private",
  sizing: "exact",
  templateRefExample: "registry.example.com/base/ubuntu:24.04",
  settings: {
    endpoint: { pattern: /^(unix:\/\/\/\S+|\/\S+|(tcp|http|https):\/\/([^/:\s]+|\[[^\]\s]+\]):\d+\/?)$/, example: "unix:///var/run/docker.sock", optional: false },
    // TLS client certificate for tcp://host:2376; none for a unix socket.
    credentials: [pem("ca"), pem("cert"), pem("key")],
    config: {
      schema: z.strictObject({
        networkMode: configName.optional(),
        // Container storage offered to placement when the engine does not report it (Docker
        // Engine never does; Podman does through /libpod/info).
        diskGb: z.number({ error: k("configNumber") }).int(k("configNumber")).min(1, k("configNumber")).max(10_000_000, k("configNumber")).optional(),
        diskTier: z.enum(["SSD", "HDD"], { error: k("configString") }).optional(),
        stopTimeoutSeconds: positiveSeconds(3600).optional(),
        callTimeoutMs: callTimeoutMs.optional(),
      }),
      fields: [
        { key: "networkMode", input: "text", example: "bridge", section: "placement" },
        { key: "diskGb", input: "number", example: "500", section: "storage" },
        { key: "diskTier", input: "select", options: ["SSD", "HDD"], section: "storage" },
        stopTimeoutField,
        callTimeoutField,
      ],
    },
  },
} satisfies DriverProfile;

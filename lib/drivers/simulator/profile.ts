// The simulator's profile (browser-safe half of its descriptor; see lib/drivers/descriptor.ts).
import { z } from "zod";
import type { DriverProfile } from "../descriptor";
import { k } from "../settings-fields";

const latency = z.number().int().min(0).max(600_000);

export const simulatorProfile = {
  kind: "SIMULATOR" as const,
  capabilities: ["snapshots", "resize", "metrics", "migrate", "liveMigrate", "backup", "ha", "cloudInit"],
  cloud: "private",
  sizing: "exact",
  templateRefExample: "sim-image:ubuntu-24.04",
  renamesMachines: true,
  settings: {
    endpoint: { pattern: /^simulator:\/\/[\w.-]*$/, example: "simulator://local", optional: true },
    credentials: [],
    config: {
      // A per-operation map ({ "provision": 2000, "default": 100 }) is accepted from the seed and
      // the API; the form edits the single number.
      schema: z.strictObject({
        latencyMs: z.union([latency, z.record(z.string(), latency)], { error: k("configNumber") }).optional(),
        // Size of a simulated disk image that was never written (what a backup exports), KiB.
        // false: the simulated hypervisor cannot move a running machine (no shared storage), so
        // a drain stops, moves and starts it again inside its owner's stop window.
        liveMigrate: z.boolean({ error: k("configBoolean") }).optional(),
        imageKb: z.number({ error: k("configNumber") }).int().min(1).max(1024 * 1024).optional(),
        // Synthetic CPU load its running machines report (load-profile.ts): monitoring demos
        // and scaling groups.
        loadProfile: z.enum(["idle", "constant", "sine", "steps"], { error: k("configString") }).optional(),
        loadPercent: z.number({ error: k("configNumber") }).min(0).max(100).optional(),
        loadPeriodSeconds: z.number({ error: k("configNumber") }).int().min(10).max(7 * 86400).optional(),
      }),
      fields: [
        { key: "latencyMs", input: "number", example: "300", section: "advanced" },
        { key: "liveMigrate", input: "boolean", section: "advanced" },
        { key: "imageKb", input: "number", example: "1024", section: "advanced" },
        { key: "loadProfile", input: "select", options: ["idle", "constant", "sine", "steps"], section: "advanced" },
        { key: "loadPercent", input: "number", example: "80", section: "advanced" },
        { key: "loadPeriodSeconds", input: "number", example: "600", section: "advanced" },
      ],
    },
  },
} satisfies DriverProfile;

// Microsoft Hyper-V's profile (browser-safe half of its descriptor; see lib/drivers/descriptor.ts).
import { z } from "zod";
import type { DriverProfile } from "../descriptor";
import { callTimeoutField, callTimeoutMs, configName, k, pem, positiveSeconds, stopTimeoutField } from "../settings-fields";

/** A Windows path: drive letter or UNC share, no characters Windows refuses in a path. */
const windowsPath = z
  .string({ error: k("configWindowsPath") })
  .trim()
  .regex(/^([A-Za-z]:\\|\\\\[^\\\s]+\\[^\\]+)[^<>:"|?*\r\n]*$/, k("configWindowsPath"));

export const hypervProfile = {
  kind: "HYPERV" as const,
  // Checkpoints (Checkpoint-VM); resize changes processors and memory with the VM off.
  capabilities: ["snapshots", "resize"],
  cloud: "private",
  sizing: "exact",
  templateRefExample: "C:\\Hyper-V\\Templates\\ubuntu-24.04.vhdx",
  settings: {
    // WinRM over HTTPS (5986). Plain http only on this machine (a local test endpoint): NTLM over
    // http would need WinRM's own message encryption, which the driver does not speak.
    endpoint: {
      pattern: /^(https:\/\/[^\s/]+(\/wsman)?\/?|http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/wsman)?\/?)$/,
      example: "https://hyperv01.example.com:5986/wsman",
      optional: false,
    },
    // DOMAIN\user or user@domain (NTLM), or a local account; a CA certificate when the WinRM
    // listener's certificate is issued by a private CA.
    credentials: [
      { key: "username", required: true, secret: false },
      { key: "password", required: true, secret: true },
      pem("ca"),
    ],
    config: {
      schema: z.strictObject({
        virtualSwitch: configName,
        vmPath: windowsPath.optional(),
        authentication: z.enum(["ntlm", "basic"], { error: k("configString") }).optional(),
        secureBootTemplate: z.enum(["MicrosoftWindows", "MicrosoftUEFICertificateAuthority", "Off"], { error: k("configString") }).optional(),
        diskTier: z.enum(["SSD", "HDD"], { error: k("configString") }).optional(),
        stopTimeoutSeconds: positiveSeconds(3600).optional(),
        callTimeoutMs: callTimeoutMs.optional(),
      }),
      fields: [
        { key: "virtualSwitch", input: "text", required: true, example: "External vSwitch", section: "placement" },
        { key: "vmPath", input: "text", example: "D:\\Hyper-V\\Orquestra", section: "storage" },
        { key: "diskTier", input: "select", options: ["SSD", "HDD"], section: "storage" },
        { key: "authentication", input: "select", options: ["ntlm", "basic"], section: "connection" },
        { key: "secureBootTemplate", input: "select", options: ["MicrosoftWindows", "MicrosoftUEFICertificateAuthority", "Off"], section: "placement" },
        stopTimeoutField,
        callTimeoutField,
      ],
    },
  },
} satisfies DriverProfile;

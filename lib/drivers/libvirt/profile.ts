// libvirt's profile (browser-safe half of its descriptor; see lib/drivers/descriptor.ts).
import { z } from "zod";
import type { DriverProfile } from "../descriptor";
import { callTimeoutField, callTimeoutMs, configName, k, positiveSeconds, stopTimeoutField } from "../settings-fields";

export const libvirtProfile = {
  kind: "LIBVIRT" as const,
  // backup: disk copies through libvirt (vol-clone, vol-download/upload); not on the test
  // driver (test:///), whose domains have no disks: the driver drops it there. cloudInit: a
  // NoCloud seed ISO on a read-only CD-ROM (seed-iso.ts); not on the test driver either (its
  // pools take no uploads).
  capabilities: ["snapshots", "resize", "backup", "metrics", "cloudInit", "console"],
  // console: the domain's screen, a VNC display on the hypervisor's loopback (noVNC).
  console: "vnc",
  cloud: "private",
  sizing: "exact",
  templateRefExample: "/var/lib/libvirt/images/ubuntu-24.04.qcow2",
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
      fields: [
        { key: "storagePool", input: "text", example: "default", section: "storage" },
        { key: "domainType", input: "select", options: ["kvm", "qemu", "test"], section: "placement" },
        { key: "serialLogDir", input: "text", example: "/var/log/orquestra/serial", section: "advanced" },
        stopTimeoutField,
        callTimeoutField,
      ],
    },
  },
} satisfies DriverProfile;

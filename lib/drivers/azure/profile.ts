// Microsoft Azure's profile (browser-safe half of its descriptor; see lib/drivers/descriptor.ts).
import { z } from "zod";
import type { DriverProfile } from "../descriptor";
import { callTimeoutField, callTimeoutMs, cloudQuotaFields, cloudQuotaSchema, configName, k, serviceUrl } from "../settings-fields";

const uuid = z.string({ error: k("configUuid") }).trim().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, k("configUuid"));

export const azureProfile = {
  kind: "AZURE" as const,
  // Snapshots of the OS managed disk (revert swaps the OS disk); resize = a new VM size.
  capabilities: ["snapshots", "resize"],
  cloud: "public",
  sizing: "mapped",
  templateRefExample: "Canonical:ubuntu-24_04-lts:server:latest",
  settings: {
    // Empty: Azure's public cloud (https://management.azure.com). A URL: a sovereign cloud or
    // Azure Stack Hub's Resource Manager.
    endpoint: { pattern: /^(https:\/\/[^\s/]+\/?|http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?)$/, example: "https://management.azure.com", optional: true },
    // A service principal (app registration) with a client secret; the password is the local
    // administrator's of Windows machines (Linux machines get the SSH key of the settings).
    credentials: [
      { key: "tenantId", required: true, secret: false },
      { key: "clientId", required: true, secret: false },
      { key: "clientSecret", required: true, secret: true },
      { key: "adminPassword", required: false, secret: true },
    ],
    config: {
      schema: z.strictObject({
        subscriptionId: uuid,
        resourceGroup: z.string({ error: k("configString") }).trim().regex(/^[\w.()-]{1,90}$/, k("configString")),
        location: z.string({ error: k("configRegion") }).trim().regex(/^[a-z0-9]+$/, k("configRegion")),
        subnetId: z
          .string({ error: k("configAzureSubnet") })
          .trim()
          .regex(/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i, k("configAzureSubnet")),
        adminUsername: configName.optional(),
        sshPublicKey: z.string({ error: k("configSshKey") }).trim().regex(/^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/=]+( .*)?$/, k("configSshKey")).optional(),
        ssdDiskType: z.enum(["Premium_LRS", "StandardSSD_LRS", "PremiumV2_LRS"], { error: k("configString") }).optional(),
        hddDiskType: z.enum(["Standard_LRS"], { error: k("configString") }).optional(),
        authorityHost: serviceUrl.optional(),
        ...cloudQuotaSchema,
        callTimeoutMs: callTimeoutMs.optional(),
      }),
      fields: [
        { key: "subscriptionId", input: "text", required: true, example: "00000000-0000-0000-0000-000000000000", section: "connection" },
        { key: "authorityHost", input: "text", example: "https://login.microsoftonline.com", section: "connection" },
        { key: "resourceGroup", input: "text", required: true, example: "rg-orquestra", section: "placement" },
        { key: "location", input: "text", required: true, example: "westeurope", section: "placement" },
        { key: "subnetId", input: "text", required: true, example: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/default", section: "placement" },
        { key: "adminUsername", input: "text", example: "orquestra", section: "placement" },
        { key: "sshPublicKey", input: "text", example: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyOnly ops@example.com", section: "placement" },
        { key: "ssdDiskType", input: "select", options: ["Premium_LRS", "StandardSSD_LRS", "PremiumV2_LRS"], section: "storage" },
        { key: "hddDiskType", input: "select", options: ["Standard_LRS"], section: "storage" },
        ...cloudQuotaFields,
        callTimeoutField,
      ],
    },
  },
} satisfies DriverProfile;

// Amazon EC2's profile (browser-safe half of its descriptor; see lib/drivers/descriptor.ts).
import { z } from "zod";
import type { DriverProfile } from "../descriptor";
import { callTimeoutField, callTimeoutMs, cloudQuotaFields, cloudQuotaSchema, configName, k } from "../settings-fields";

const id = (prefix: string) =>
  z
    .string({ error: k("configString") })
    .trim()
    .regex(new RegExp(`^${prefix}-[0-9a-f]{8,17}$`), k(`configAwsId`));

export const ec2Profile = {
  kind: "EC2" as const,
  // Snapshots of the root EBS volume; resize = stop, change the instance type, start.
  // Metrics: CloudWatch (cloudwatch.ts), memory only where the CloudWatch agent publishes it.
  capabilities: ["snapshots", "resize", "cloudInit", "metrics"],
  cloud: "public",
  sizing: "mapped",
  templateRefExample: "ami-0abcdef1234567890",
  settings: {
    // Empty: AWS's public endpoint of the region. A URL: a VPC endpoint, an AWS-compatible API
    // (plain http only on this machine, for a local test endpoint).
    endpoint: { pattern: /^(https:\/\/[^\s/]+\/?|http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?)$/, example: "https://ec2.eu-west-1.amazonaws.com", optional: true },
    credentials: [
      { key: "accessKeyId", required: true, secret: false },
      { key: "secretAccessKey", required: true, secret: true },
    ],
    config: {
      schema: z.strictObject({
        region: z.string({ error: k("configRegion") }).trim().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, k("configRegion")),
        subnetId: id("subnet").optional(),
        securityGroupIds: z
          .string({ error: k("configString") })
          .trim()
          .regex(/^sg-[0-9a-f]{8,17}(\s*,\s*sg-[0-9a-f]{8,17})*$/, k("configAwsId"))
          .optional(),
        keyName: configName.optional(),
        ssdVolumeType: z.enum(["gp3", "gp2", "io1", "io2"], { error: k("configString") }).optional(),
        architecture: z.enum(["x86_64", "arm64"], { error: k("configString") }).optional(),
        ...cloudQuotaSchema,
        callTimeoutMs: callTimeoutMs.optional(),
      }),
      fields: [
        { key: "region", input: "text", required: true, example: "eu-west-1", section: "connection" },
        { key: "subnetId", input: "text", example: "subnet-0123456789abcdef0", section: "placement" },
        { key: "securityGroupIds", input: "text", example: "sg-0123456789abcdef0", section: "placement" },
        { key: "keyName", input: "text", example: "ops-2026", section: "placement" },
        { key: "ssdVolumeType", input: "select", options: ["gp3", "gp2", "io1", "io2"], section: "storage" },
        { key: "architecture", input: "select", options: ["x86_64", "arm64"], section: "placement" },
        ...cloudQuotaFields,
        callTimeoutField,
      ],
    },
  },
} satisfies DriverProfile;

// EC2's profile: providers of this kind can be registered (and their form validated); there
// is no driver yet (see descriptor.ts).
import { z } from "zod";
import type { DriverProfile } from "../descriptor";
import { configName } from "../settings-fields";

export const ec2Profile = {
  kind: "EC2" as const,
  capabilities: [],
  settings: {
    // A region, or an https endpoint URL (a private or emulated EC2 API).
    endpoint: { pattern: /^([a-z]{2}(-[a-z]+)+-\d|https:\/\/[^\s/]+\/?)$/, example: "eu-west-1", optional: true },
    credentials: [
      { key: "accessKeyId", required: true, secret: false },
      { key: "secretAccessKey", required: true, secret: true },
    ],
    config: {
      schema: z.strictObject({ region: configName.optional(), subnetId: configName.optional(), securityGroupId: configName.optional() }),
      example: '{ "region": "eu-west-1" }',
    },
  },
} satisfies DriverProfile;

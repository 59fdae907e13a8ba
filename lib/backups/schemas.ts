// Zod schemas of the backup verbs, shared by forms, server actions and the API.
import { z } from "zod";
import { BackupStatus } from "../generated/prisma/enums";
import { cronProblem } from "../schedules/cron";

const id = z.uuid("Not a valid id");
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());

export const cronField = z
  .string()
  .trim()
  .min(1, "Enter a cron expression")
  .max(100)
  .superRefine((v, ctx) => {
    const p = cronProblem(v);
    if (p) ctx.addIssue({ code: "custom", message: p });
  });

export const createBackupTargetSchema = z.object({
  name: z.string().trim().min(1, "Enter a name").max(100),
  endpoint: z.url("Enter the store's URL, e.g. https://s3.example.com").max(500),
  region: z.string().trim().min(1).max(50).default("us-east-1"),
  bucket: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "A bucket name: 3 to 63 lower-case letters, digits, dots and hyphens"),
  prefix: z.string().trim().max(200).default(""),
  forcePathStyle: z.boolean().default(true),
  accessKeyId: z.string().trim().min(1, "Enter the access key").max(200),
  secretAccessKey: z.string().min(1, "Enter the secret key").max(500),
});

export const backupMachineSchema = z.object({ machineId: id, targetId: id });

export const restoreBackupSchema = z.object({ backupId: id });

export const restoreToNewMachineSchema = z.object({
  backupId: id,
  name: z
    .string()
    .trim()
    .min(1, "Enter a name")
    .max(63)
    .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, "Use lower-case letters, digits and hyphens"),
});

export const createBackupPolicySchema = z
  .object({
    projectId: id,
    machineId: optional(id),
    targetId: id,
    name: z.string().trim().min(1, "Enter a name").max(100),
    cron: cronField,
    keepLast: z.coerce.number().int().min(1, "Keep at least one").max(365),
    keepDays: optional(z.coerce.number().int().min(1).max(3650)),
  })
  .strict();

export const backupPolicyIdSchema = z.object({ policyId: id });

export const listBackupsSchema = z.object({
  projectId: optional(id).catch(undefined),
  machineId: optional(id).catch(undefined),
  status: optional(z.enum(BackupStatus)).catch(undefined),
});
export type ListBackupsInput = z.infer<typeof listBackupsSchema>;

// Zod schemas of the lease verbs (web side), shared by forms, server actions and tests.
import { z } from "zod";
import { pageSchema } from "../pagination";

const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Choose a date")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), "Choose a valid date");

export const requestLeaseExtensionSchema = z.object({
  machineId: z.uuid("Not a valid id"),
  newEndDate: isoDate.meta({
    description:
      "The new last day of the lease (YYYY-MM-DD, UTC), after the current end. A machine without an end in a project with a maximum lease is given one this way. Up to the project's maximum (from today) it applies at once; beyond it an approver decides (give a reason).",
  }),
  reason: z.string().trim().max(1000, "At most 1000 characters").default(""),
});
export type RequestLeaseExtensionInput = z.infer<typeof requestLeaseExtensionSchema>;

export const decideLeaseExtensionSchema = z.object({
  extensionId: z.uuid("Not a valid id"),
  decision: z.enum(["APPROVE", "REJECT"]),
  reason: z.string().trim().max(1000, "At most 1000 characters").default(""),
});
export type DecideLeaseExtensionInput = z.infer<typeof decideLeaseExtensionSchema>;

export const listLeaseExtensionsSchema = z.object({
  status: z.enum(["PENDING", "DECIDED"]).catch("PENDING").default("PENDING"),
  page: pageSchema.default(1),
});
export type ListLeaseExtensionsInput = z.infer<typeof listLeaseExtensionsSchema>;

import { z } from "zod";
import { HostState } from "../generated/prisma/enums";
import { pageSchema } from "../pagination";

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());

export const listHostsSchema = z.object({
  providerId: optional(z.uuid()).catch(undefined),
  state: optional(z.enum(HostState)).catch(undefined),
  page: pageSchema.default(1),
});
export type ListHostsInput = z.infer<typeof listHostsSchema>;

export const setHostMaintenanceSchema = z.object({
  hostId: z.uuid("Not a valid id"),
  maintenance: z.boolean(),
  /** Why (shown on the host and in the audit log). */
  reason: z.string().trim().max(500).optional(),
});

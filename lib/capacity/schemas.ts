import { z } from "zod";
import { HostState } from "../generated/prisma/enums";
import { pageSchema } from "../pagination";

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());

export const HOST_SORTS = ["provider", "name", "state", "cpu", "memory"] as const;
export type HostSort = (typeof HOST_SORTS)[number];

export const listHostsSchema = z.object({
  providerId: optional(z.uuid()).catch(undefined),
  state: optional(z.enum(HostState)).catch(undefined),
  /** Host name contains (case-insensitive). */
  q: optional(z.string().trim().max(100)).catch(undefined),
  sort: z.enum(HOST_SORTS).catch("provider").default("provider"),
  dir: z.enum(["asc", "desc"]).catch("asc").default("asc"),
  page: pageSchema.default(1),
});
type ParsedListHosts = z.infer<typeof listHostsSchema>;
/** Sort and direction may be left out by callers (provider, ascending). */
export type ListHostsInput = Omit<ParsedListHosts, "sort" | "dir"> & Partial<Pick<ParsedListHosts, "sort" | "dir">>;

export const setHostMaintenanceSchema = z.object({
  hostId: z.uuid("Not a valid id"),
  maintenance: z.boolean(),
  /** Why (shown on the host and in the audit log). */
  reason: z.string().trim().max(500).optional(),
});

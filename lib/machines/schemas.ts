// Zod schemas of the machine verbs, shared by pages, server actions and route handlers.
import { z } from "zod";
import { MachineState } from "../generated/prisma/enums";
import { pageSchema } from "../pagination";
import { fe } from "../../i18n/field-message";
import { SNAPSHOT_NAME_RE } from "./snapshot-name";

// Field errors of the forms (rename, tags, transfer, resize) are message keys (i18n/field-message.ts).
const id = z.uuid(fe("common", "idInvalid"));

/** Empty strings from GET forms mean "no filter". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());

export const MACHINE_SORTS = ["created", "name", "state", "cost"] as const;
export type MachineSort = (typeof MACHINE_SORTS)[number];

export const listMachinesSchema = z.object({
  projectId: optional(id).catch(undefined),
  providerId: optional(id).catch(undefined),
  sort: optional(z.enum(MACHINE_SORTS)).catch(undefined),
  dir: optional(z.enum(["asc", "desc"])).catch(undefined),
  state: optional(z.enum(MachineState)).catch(undefined),
  q: optional(z.string().trim().max(100)).catch(undefined),
  page: pageSchema.default(1),
  // Keyset page: the `nextCursor` of the previous page (a deep page costs what the first does).
  cursor: optional(z.string().max(200)).catch(undefined),
});
export type ListMachinesInput = z.infer<typeof listMachinesSchema>;

export const machineIdSchema = z.object({ machineId: id });

export const resizeMachineSchema = z.object({ machineId: id, offeringId: z.uuid(fe("common", "offeringRequired")) });

export const createSnapshotSchema = z.object({
  machineId: id,
  name: z
    .string()
    .trim()
    .min(1, "Enter a name")
    .max(63, "At most 63 characters")
    .regex(SNAPSHOT_NAME_RE, "Use lower-case letters, digits and hyphens; start and end with a letter or digit"),
});

export const snapshotRefSchema = z.object({ machineId: id, snapshotId: id });

export const deleteMachineSchema = z.object({
  machineId: id,
  confirmName: z.string().max(200),
});

/** At most this many machines in one bulk action (the page selects at most a page of them). */
export const BULK_MAX = 100;
export const BULK_ACTIONS = ["start", "stop", "delete"] as const;

export const bulkMachineOperationSchema = z
  .object({
    action: z.enum(BULK_ACTIONS).meta({ description: "What to do to every machine: `start`, `stop` or `delete`." }),
    machineIds: z
      .array(id)
      .min(1, "Select at least one machine")
      .max(BULK_MAX, `Select at most ${BULK_MAX} machines`)
      .refine((ids) => new Set(ids).size === ids.length, "A machine is listed twice")
      .meta({ description: `The machines' ids, 1 to ${BULK_MAX}, each once.` }),
    confirmCount: z
      .number()
      .int()
      .optional()
      .meta({ description: "Required for `delete`: the number of machines, as a guard against deleting the wrong selection." }),
  })
  .refine((v) => v.action !== "delete" || v.confirmCount === v.machineIds.length, {
    path: ["confirmCount"],
    message: "Confirm the number of machines to delete",
  });
export type BulkMachineOperationInput = z.infer<typeof bulkMachineOperationSchema>;

export const retryOperationSchema = z.object({ machineId: id, operationId: id });

/** A machine name is a DNS label: it becomes a host name on most providers. */
export const MACHINE_NAME_RE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
export const renameMachineSchema = z.object({
  machineId: id,
  name: z
    .string({ error: fe("machines", "nameRequired") })
    .trim()
    .toLowerCase()
    .min(1, fe("machines", "nameRequired"))
    .max(63, fe("machines", "nameTooLong"))
    .regex(MACHINE_NAME_RE, fe("machines", "nameFormat")),
});

export const setMachineTagsSchema = z.object({
  machineId: id,
  tags: z.string({ error: fe("common", "tooLong") }).max(20_000, fe("common", "tooLong")).meta({ description: "One `key=value` a line; an empty text removes every tag." }),
});

export const transferMachineSchema = z.object({ machineId: id, ownerId: z.uuid(fe("machines", "ownerRequired")) });

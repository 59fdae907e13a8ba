// Zod schemas of the machine verbs, shared by pages, server actions and route handlers.
import { z } from "zod";
import { MachineState } from "../generated/prisma/enums";
import { pageSchema } from "../pagination";
import { SNAPSHOT_NAME_RE } from "./snapshot-name";

const id = z.uuid("Not a valid id");

/** Empty strings from GET forms mean "no filter". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());

export const listMachinesSchema = z.object({
  projectId: optional(id).catch(undefined),
  state: optional(z.enum(MachineState)).catch(undefined),
  q: optional(z.string().trim().max(100)).catch(undefined),
  page: pageSchema.default(1),
  // Keyset page: the `nextCursor` of the previous page (a deep page costs what the first does).
  cursor: optional(z.string().max(200)).catch(undefined),
});
export type ListMachinesInput = z.infer<typeof listMachinesSchema>;

export const machineIdSchema = z.object({ machineId: id });

export const resizeMachineSchema = z.object({ machineId: id, offeringId: z.uuid("Choose an offering") });

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

// Input schemas of the API's own read verbs (lib/api/verbs): reads that no page needed in
// this shape. Query strings arrive as text, hence the coercions.
import { z } from "zod";

const k = (key: string) => `api.validation.${key}`;

/** The latest instant a cursor may name: the end of year 9999. */
const MAX_CURSOR_MS = 253_402_300_799_999;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Keyset cursor over (createdAt, id): "<epoch ms>.<operation uuid>", as nextCursor gives it. */
export const OPERATION_CURSOR_PATTERN = "^[0-9]{1,15}\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";
export const operationCursorSchema = z
  .string()
  .regex(new RegExp(OPERATION_CURSOR_PATTERN), k("cursorInvalid"))
  .refine((c) => {
    const dot = c.indexOf(".");
    return Number(c.slice(0, dot)) <= MAX_CURSOR_MS && UUID.test(c.slice(dot + 1));
  }, k("cursorInvalid"));

export const listMachineOperationsSchema = z.object({
  machineId: z.uuid(),
  cursor: operationCursorSchema.optional(),
  limit: z.coerce.number({ error: k("limitRange") }).int(k("limitRange")).min(1, k("limitRange")).max(100, k("limitRange")).default(50),
});
export type ListMachineOperationsInput = z.infer<typeof listMachineOperationsSchema>;

export const listMyProjectsSchema = z.object({
  includeArchived: z
    .enum(["true", "false"], { error: k("booleanInvalid") })
    .default("false")
    .transform((v) => v === "true"),
});
export type ListMyProjectsInput = z.infer<typeof listMyProjectsSchema>;

export const listActiveTemplatesSchema = z.object({
  osFamily: z.enum(["LINUX", "WINDOWS"], { error: k("osFamilyInvalid") }).optional(),
});
export type ListActiveTemplatesInput = z.infer<typeof listActiveTemplatesSchema>;

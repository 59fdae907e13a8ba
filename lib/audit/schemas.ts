// Filters for the audit log, as they arrive from a GET form (empty fields = no filter).
import { z } from "zod";
import { isCalendarDay } from "./time-range";

const k = (key: string) => `audit.validation.${key}`;
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optional = <T extends z.ZodType>(s: T) => z.preprocess(blankToUndefined, s.optional());

/** The latest instant a cursor may name (the end of year 9999), and the largest event id (int8). */
export const MAX_CURSOR_MS = 253_402_300_799_999;
const MAX_EVENT_ID = 9_223_372_036_854_775_807n;

/** Keyset cursor: "<epoch ms>.<event id>" of the last (or first) row shown. */
export const auditCursorSchema = z
  .string()
  .regex(/^\d{1,15}\.\d{1,19}$/, k("cursorInvalid"))
  .refine((c) => {
    if (!/^\d{1,15}\.\d{1,19}$/.test(c)) return true; // the pattern reported it
    const [ms, id] = c.split(".");
    return Number(ms) <= MAX_CURSOR_MS && BigInt(id) <= MAX_EVENT_ID;
  }, k("cursorInvalid"));
const day = z.string().refine(isCalendarDay, k("dateInvalid"));

export const auditFilterSchema = z
  .object({
    actor: optional(z.string().trim().max(320, k("actorTooLong"))),
    action: optional(z.string().trim().max(100, k("actionTooLong"))),
    targetType: optional(z.string().trim().max(100, k("targetTypeTooLong"))),
    targetId: optional(z.string().trim().max(100, k("targetIdTooLong"))),
    projectId: optional(z.uuid(k("projectInvalid"))),
    from: optional(day),
    to: optional(day),
    after: optional(auditCursorSchema),
    before: optional(auditCursorSchema),
    limit: z.number().int().min(1).max(200).optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ["to"], message: k("toBeforeFrom") });
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export const encodeCursor = (at: Date, id: bigint) => `${at.getTime()}.${id}`;
export function decodeCursor(c: string): { at: Date; id: bigint } {
  const [ms, id] = c.split(".");
  return { at: new Date(Number(ms)), id: BigInt(id) };
}

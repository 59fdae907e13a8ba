// Zod schemas of the maintenance verbs, shared by forms, server actions and the API.
import { z } from "zod";

const id = z.uuid("Not a valid id");
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());

export const createMaintenanceWindowSchema = z
  .object({
    hostId: optional(id),
    providerId: optional(id),
    startsAt: z.coerce.date({ error: "Enter a start" }),
    endsAt: z.coerce.date({ error: "Enter an end" }),
    reason: z.string().trim().min(1, "Say why").max(500),
  })
  .superRefine((v, ctx) => {
    if (!v.hostId === !v.providerId) ctx.addIssue({ code: "custom", path: ["hostId"], message: "Choose a host or a provider" });
    if (v.endsAt.getTime() <= v.startsAt.getTime()) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "The end must be after the start" });
  });

export const maintenanceWindowIdSchema = z.object({ windowId: id });

export const maintenanceCalendarSchema = z.object({
  month: optional(z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/)).catch(undefined),
});

export const incidentIdSchema = z.object({ incidentId: id });
export const hostIdSchema = z.object({ hostId: id });

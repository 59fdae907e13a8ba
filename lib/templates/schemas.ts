// Zod schemas for OS templates, shared by the admin forms, the server actions and the API.
// Messages are message keys (messages/<locale>/templates.json).
import { z } from "zod";

const k = (key: string) => `templates.validation.${key}`;

export const OS_FAMILIES = ["LINUX", "WINDOWS"] as const;

export const templateFieldsSchema = z.object({
  name: z.string({ error: k("nameRequired") }).trim().min(1, k("nameRequired")).max(80, k("nameTooLong")),
  osFamily: z.enum(OS_FAMILIES, { error: k("osFamilyInvalid") }),
  osName: z.string({ error: k("osNameRequired") }).trim().min(1, k("osNameRequired")).max(80, k("osNameTooLong")),
  osVersion: z.string({ error: k("osVersionRequired") }).trim().min(1, k("osVersionRequired")).max(40, k("osVersionTooLong")),
  description: z.string({ error: k("descriptionTooLong") }).trim().max(500, k("descriptionTooLong")),
  minDiskGb: z.number({ error: k("minDiskRange") }).int(k("minDiskInteger")).min(1, k("minDiskRange")).max(65536, k("minDiskRange")),
});
export type TemplateFields = z.infer<typeof templateFieldsSchema>;

export const templateIdSchema = z.object({ id: z.uuid() });
export const createTemplateSchema = templateFieldsSchema;
export const updateTemplateSchema = templateFieldsSchema.extend({ id: z.uuid() });
export const setTemplateActiveSchema = z.object({ id: z.uuid(), active: z.boolean() });

/** The native reference per provider; an empty ref removes it (that provider cannot serve the template). */
export const setTemplateProviderRefsSchema = z.object({
  templateId: z.uuid(),
  refs: z
    .array(
      z.object({
        providerId: z.uuid(),
        ref: z.string({ error: k("refTooLong") }).trim().max(500, k("refTooLong")),
      }),
    )
    .max(1000),
});

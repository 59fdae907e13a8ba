// Zod schemas for OS templates, shared by the admin forms, the server actions and the API.
// Messages are message keys (messages/<locale>/templates.json).
import { z } from "zod";
import { checkCloudConfig, MAX_USER_DATA_LENGTH, problemMessage } from "../access/cloud-config";

const k = (key: string) => `templates.validation.${key}`;

export const OS_FAMILIES = ["LINUX", "WINDOWS"] as const;

export const templateFieldsSchema = z.object({
  name: z.string({ error: k("nameRequired") }).trim().min(1, k("nameRequired")).max(80, k("nameTooLong")),
  osFamily: z.enum(OS_FAMILIES, { error: k("osFamilyInvalid") }),
  osName: z.string({ error: k("osNameRequired") }).trim().min(1, k("osNameRequired")).max(80, k("osNameTooLong")),
  osVersion: z.string({ error: k("osVersionRequired") }).trim().min(1, k("osVersionRequired")).max(40, k("osVersionTooLong")),
  description: z.string({ error: k("descriptionTooLong") }).trim().max(500, k("descriptionTooLong")),
  minDiskGb: z.number({ error: k("minDiskRange") }).int(k("minDiskInteger")).min(1, k("minDiskRange")).max(65536, k("minDiskRange")),
  /** Cloud-init user data (#cloud-config YAML mapping); absent on update: unchanged. */
  userData: z
    .string({ error: k("userDataYaml") })
    .max(MAX_USER_DATA_LENGTH, k("userDataTooLong"))
    .superRefine((v, ctx) => {
      const problem = checkCloudConfig(v);
      if (problem) ctx.addIssue({ code: "custom", message: problemMessage(problem) });
    })
    .optional()
    .meta({ description: "Cloud-init user data: a #cloud-config YAML mapping (packages, runcmd, users, ...), merged at provision with the requester's SSH keys and the hostname." }),
  /** The login user cloud-init creates on the image (ubuntu, debian, ec2-user): the SSH command. */
  defaultUser: z
    .string({ error: k("defaultUserInvalid") })
    .trim()
    .max(32, k("defaultUserInvalid"))
    .regex(/^([a-z_][a-z0-9_-]*)?$/, k("defaultUserInvalid"))
    .optional(),
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

// Schemas of groups (Administration -> Groups and the API). Messages are message keys
// (messages/<locale>/groups.json).
import { z } from "zod";
import { PROJECT_ROLES } from "../projects/schemas";

const k = (key: string) => `groups.validation.${key}`;

export const groupFieldsSchema = z.object({
  name: z.string({ error: k("nameRequired") }).trim().min(1, k("nameRequired")).max(80, k("nameTooLong")).meta({ description: "Unique name." }),
  description: z.string({ error: k("descriptionTooLong") }).trim().max(500, k("descriptionTooLong")).default("").meta({ description: "What the group is for." }),
  idpGroup: z
    .string({ error: k("idpGroupTooLong") })
    .trim()
    .max(256, k("idpGroupTooLong"))
    .nullable()
    .default(null)
    .transform((v) => (v ? v : null))
    .meta({ description: "The value of the identity provider's group claim that maps to this group (as the IdP sends it); null: no mapping. Users whose claim has it join the group at sign-in, and leave it when it is gone." }),
  grantsAdmin: z.boolean({ error: k("booleanRequired") }).default(false).meta({ description: "Members are administrators while they are in the group." }),
});
export type GroupFields = z.infer<typeof groupFieldsSchema>;

export const groupIdSchema = z.object({ id: z.uuid() });
export const createGroupSchema = groupFieldsSchema;
export const updateGroupSchema = groupFieldsSchema.extend({ id: z.uuid() });
export const addGroupMemberSchema = z.object({
  groupId: z.uuid(),
  email: z.string({ error: k("emailFormat") }).trim().toLowerCase().pipe(z.email({ error: k("emailFormat") })).meta({ description: "The user's e-mail." }),
});
export const removeGroupMemberSchema = z.object({ groupId: z.uuid(), userId: z.uuid() });
export const setGroupProjectRoleSchema = z.object({
  groupId: z.uuid(),
  projectId: z.uuid({ error: k("projectRequired") }),
  role: z.enum(PROJECT_ROLES, { error: k("roleInvalid") }).meta({ description: "The role members get in the project (their own membership wins when it is higher)." }),
});
export const removeGroupProjectRoleSchema = z.object({ groupId: z.uuid(), projectId: z.uuid() });

// Schemas of user administration and of one's own account (sessions, password). Messages
// are message keys (messages/<locale>/users.json).
import { z } from "zod";

const k = (key: string) => `users.validation.${key}`;

export const MIN_PASSWORD = 12;
export const MAX_PASSWORD = 200;

export const userIdSchema = z.object({ id: z.uuid() });
export const listUsersSchema = z.object({
  q: z.string().trim().max(100).optional(),
  page: z.int().min(1).max(100_000).default(1),
});
export type ListUsersInput = z.infer<typeof listUsersSchema>;

export const setUserDisabledSchema = z.object({ id: z.uuid(), disabled: z.boolean({ error: k("booleanRequired") }) });
export const revokeUserAccessSchema = z.object({
  id: z.uuid(),
  /** End every browser session of the user (default true). */
  sessions: z.boolean({ error: k("booleanRequired") }).default(true),
  /** Revoke every API token of the user (default true). */
  tokens: z.boolean({ error: k("booleanRequired") }).default(true),
});

export const changePasswordSchema = z.object({
  currentPassword: z.string({ error: k("currentRequired") }).min(1, k("currentRequired")).max(MAX_PASSWORD, k("currentRequired")),
  newPassword: z
    .string({ error: k("passwordLength") })
    .min(MIN_PASSWORD, k("passwordLength"))
    .max(MAX_PASSWORD, k("passwordLength")),
});
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;

export const noInputSchema = z.object({});

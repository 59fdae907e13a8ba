// Schemas of user administration and of one's own account (sessions, password). Messages
// are message keys (messages/<locale>/users.json).
import { z } from "zod";

const k = (key: string) => `users.validation.${key}`;

export const MIN_PASSWORD = 12;
export const MAX_PASSWORD = 200;

export const userIdSchema = z.object({ id: z.uuid() });
export const USER_SORTS = ["email", "name", "created"] as const;
export const listUsersSchema = z.object({
  q: z.string().trim().max(100).optional(),
  page: z.int().min(1).max(100_000).default(1),
  /** `email` (default), `name` or `created` (newest first by default); ties by id. */
  sort: z.enum(USER_SORTS).optional(),
  dir: z.enum(["asc", "desc"]).optional(),
  /** Keyset page: the `nextCursor` of the previous page, same sort and dir. */
  cursor: z.string().max(200).optional(),
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

export const inviteUserSchema = z.object({
  email: z.string({ error: k("emailFormat") }).trim().toLowerCase().pipe(z.email({ error: k("emailFormat") }).max(254, k("emailFormat"))).meta({ description: "Where the invitation goes; the account's e-mail." }),
  name: z.string({ error: k("nameRequired") }).trim().min(1, k("nameRequired")).max(200, k("nameRequired")).meta({ description: "The person's name." }),
  role: z.enum(["USER", "ADMIN"], { error: k("roleInvalid") }).default("USER").meta({ description: "USER, or ADMIN for an administrator." }),
  locale: z.enum(["en", "pt-BR"], { error: k("localeInvalid") }).nullable().optional().meta({ description: "Language of the invitation e-mail (and the account's default); null: English." }),
});
export type InviteUserInput = z.infer<typeof inviteUserSchema>;

export const acceptInvitationSchema = z
  .object({
    token: z.string().min(1).max(100),
    password: z.string({ error: k("passwordLength") }).min(MIN_PASSWORD, k("passwordLength")).max(MAX_PASSWORD, k("passwordLength")),
    confirm: z.string({ error: k("passwordMismatch") }),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: k("passwordMismatch") });

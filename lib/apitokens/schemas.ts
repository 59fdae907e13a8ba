// Schemas of the personal API token verbs, shared by the settings form, its server actions
// and the tests. Messages are message keys (messages/<locale>/settings.json).
import { z } from "zod";

const k = (key: string) => `settings.tokens.validation.${key}`;

export const MAX_TOKEN_NAME = 80;
/** Tokens live at most a year; no expiry at all is allowed too (until revoked). */
export const MAX_TOKEN_DAYS = 365;
/** Live (not revoked) tokens one person may hold: a guard against scripts minting tokens in a loop. */
export const MAX_LIVE_TOKENS = 50;

export const createApiTokenSchema = z.object({
  name: z.string({ error: k("nameRequired") }).trim().min(1, k("nameRequired")).max(MAX_TOKEN_NAME, k("nameTooLong")),
  /** YYYY-MM-DD (end of that day, UTC); empty or absent: the token does not expire. */
  expiresOn: z
    .union([z.literal(""), z.iso.date({ error: k("expiryInvalid") })], { error: k("expiryInvalid") })
    .optional(),
});
export type CreateApiTokenInput = z.infer<typeof createApiTokenSchema>;

export const revokeApiTokenSchema = z.object({ tokenId: z.uuid({ error: k("tokenRequired") }) });
export type RevokeApiTokenInput = z.infer<typeof revokeApiTokenSchema>;

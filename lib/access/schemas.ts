// Schemas of the SSH key verbs (settings form, server actions, tests). Messages are keys in
// messages/<locale>/access.json.
import { z } from "zod";
import { MAX_SSH_KEY_LENGTH, parseSshPublicKey } from "./ssh-key-format";

const k = (key: string) => `access.validation.${key}`;

export const MAX_SSH_KEY_NAME = 80;
/** Keys one person may hold. */
export const MAX_SSH_KEYS = 50;

export const addSshKeySchema = z.object({
  name: z.string({ error: k("nameRequired") }).trim().min(1, k("nameRequired")).max(MAX_SSH_KEY_NAME, k("nameTooLong")),
  publicKey: z
    .string({ error: k("keyEmpty") })
    .max(MAX_SSH_KEY_LENGTH, k("keyTooLong"))
    .superRefine((v, ctx) => {
      const parsed = parseSshPublicKey(v);
      if (!parsed.ok) ctx.addIssue({ code: "custom", message: k(`key_${parsed.problem}`) });
    }),
});
export type AddSshKeyInput = z.infer<typeof addSshKeySchema>;

export const deleteSshKeySchema = z.object({ keyId: z.uuid({ error: k("keyRequired") }) });
export type DeleteSshKeyInput = z.infer<typeof deleteSshKeySchema>;

// Adds an SSH public key to the signed-in user's keys (settings). The same key twice is refused.
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { AppError, validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { parseInput } from "../offerings/parse-input";
import { isUniqueViolation } from "../offerings/prisma-errors";
import { addSshKeySchema, MAX_SSH_KEYS, type AddSshKeyInput } from "./schemas";
import { parseSshPublicKey } from "./ssh-key-format";
import { sshFingerprint } from "./ssh-keys";

export async function addSshKey(ctx: Ctx, input: AddSshKeyInput): Promise<{ id: string; fingerprint: string }> {
  assertCan(ctx.actor, "account.manage");
  const data = parseInput(addSshKeySchema, input);
  const parsed = parseSshPublicKey(data.publicKey);
  if (!parsed.ok) throw validationError({ publicKey: [`access.validation.key_${parsed.problem}`] });
  const fingerprint = sshFingerprint(parsed.key.blob);
  try {
    return await ctx.db.$transaction(async (tx) => {
      await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`ssh-keys:${ctx.actor.id}`}))`;
      if ((await tx.sshKey.count({ where: { userId: ctx.actor.id } })) >= MAX_SSH_KEYS) {
        throw new AppError("VALIDATION", `At most ${MAX_SSH_KEYS} SSH keys`, { fields: { publicKey: ["access.validation.tooMany"] } });
      }
      if (await tx.sshKey.findFirst({ where: { userId: ctx.actor.id, fingerprint }, select: { id: true } })) {
        throw validationError({ publicKey: ["access.validation.duplicate"] });
      }
      const key = await tx.sshKey.create({ data: { userId: ctx.actor.id, name: data.name, publicKey: parsed.key.normalized, fingerprint } });
      await recordAudit(tx, ctx, { action: "sshkey.add", targetType: "SshKey", targetId: key.id, after: { name: key.name, type: parsed.key.type, fingerprint } });
      return { id: key.id, fingerprint };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw validationError({ publicKey: ["access.validation.duplicate"] });
    throw err;
  }
}

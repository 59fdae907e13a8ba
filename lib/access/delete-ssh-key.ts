// Deletes one of the signed-in user's SSH keys. Machines already provisioned keep it (it is in
// their authorized_keys); machines provisioned later no longer get it. Someone else's key: NOT_FOUND.
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import type { DeleteSshKeyInput } from "./schemas";

export async function deleteSshKey(ctx: Ctx, input: DeleteSshKeyInput): Promise<{ keyId: string }> {
  assertCan(ctx.actor, "account.manage");
  return ctx.db.$transaction(async (tx) => {
    const key = await tx.sshKey.findFirst({ where: { id: input.keyId, userId: ctx.actor.id } });
    if (!key) throw notFound("SSH key");
    await tx.sshKey.delete({ where: { id: key.id } });
    await recordAudit(tx, ctx, { action: "sshkey.delete", targetType: "SshKey", targetId: key.id, before: { name: key.name, fingerprint: key.fingerprint } });
    return { keyId: key.id };
  });
}

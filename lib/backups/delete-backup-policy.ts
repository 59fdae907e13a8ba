import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan, can } from "../auth/permissions";
import { notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import type { backupPolicyIdSchema } from "./schemas";

/** Removes a policy; its backups stay (restore points are deleted by retention or by hand). */
export async function deleteBackupPolicy(ctx: Ctx, input: z.infer<typeof backupPolicyIdSchema>) {
  const p = await ctx.db.backupPolicy.findUnique({ where: { id: input.policyId } });
  if (!p || !can(ctx.actor, "backup.read", p.projectId)) throw notFound("Backup policy");
  assertCan(ctx.actor, "backup.manage", p.projectId);
  return ctx.db.$transaction(async (tx) => {
    await tx.backupPolicy.delete({ where: { id: p.id } });
    await recordAudit(tx, ctx, { action: "backup_policy.delete", targetType: "BackupPolicy", targetId: p.id, projectId: p.projectId, before: { name: p.name, cron: p.cron } });
    return { id: p.id };
  });
}

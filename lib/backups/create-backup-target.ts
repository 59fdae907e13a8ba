import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { seal } from "../crypto/seal";
import type { createBackupTargetSchema } from "./schemas";

/**
 * Registers an S3-compatible object store for backups. The keys are sealed with AES-256-GCM,
 * bound to the target's id, and never returned. Administrators only.
 */
export async function createBackupTarget(ctx: Ctx, input: z.infer<typeof createBackupTargetSchema>) {
  assertCan(ctx.actor, "backuptarget.manage");
  const id = randomUUID();
  const credentialsEnc = seal(JSON.stringify({ accessKeyId: input.accessKeyId, secretAccessKey: input.secretAccessKey }), { associatedData: id });
  return ctx.db.$transaction(async (tx) => {
    if (await tx.backupTarget.findUnique({ where: { name: input.name } })) throw validationError({ name: ["A backup target with this name exists"] });
    const t = await tx.backupTarget.create({
      data: { id, name: input.name, endpoint: input.endpoint, region: input.region, bucket: input.bucket, prefix: input.prefix, forcePathStyle: input.forcePathStyle, credentialsEnc },
    });
    await recordAudit(tx, ctx, {
      action: "backup_target.create",
      targetType: "BackupTarget",
      targetId: t.id,
      // Never the keys.
      after: { name: t.name, endpoint: t.endpoint, bucket: t.bucket, prefix: t.prefix },
    });
    return { id: t.id, name: t.name };
  });
}

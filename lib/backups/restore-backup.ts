import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { can } from "../auth/permissions";
import { conflict, notFound } from "../errors";
import { loadOperableMachine, requestOperation } from "../machines/request-operation";
import type { restoreBackupSchema } from "./schemas";

/** Restores a backup into the machine it was taken of (operation RESTORE; its checksum is verified first). */
export async function restoreBackup(ctx: Ctx, input: z.infer<typeof restoreBackupSchema>) {
  const backup = await ctx.db.backup.findUnique({ where: { id: input.backupId } });
  if (!backup || !can(ctx.actor, "backup.read", backup.projectId)) throw notFound("Backup");
  if (backup.status !== "AVAILABLE") throw conflict(`The backup is ${backup.status.toLowerCase()}, so it cannot be restored`);
  const machine = await loadOperableMachine(ctx, backup.machineId);
  return requestOperation(ctx, machine, { kind: "RESTORE", params: { backupId: backup.id } });
}

// The one way a backup is requested (a user's "Back up now", a schedule, a policy): the
// Backup row (PENDING, with the machine's size and template as they are) and its BACKUP
// operation, in the caller's transaction.
import type { Tx } from "../db/client";
import { createOperation } from "../orchestration/create-operation";
import type { VersionedMachine } from "../orchestration/machine-transition";

export async function requestBackup(
  tx: Tx,
  machine: VersionedMachine & { projectId: string; name: string; vcpu: number; memoryMb: number; diskGb: number; diskTier: "SSD" | "HDD"; templateId: string; offeringId: string; providerId: string | null },
  opts: { targetId: string; policyId?: string | null; requestedById?: string | null },
) {
  const backup = await tx.backup.create({
    data: {
      machineId: machine.id,
      projectId: machine.projectId,
      policyId: opts.policyId ?? null,
      targetId: opts.targetId,
      machineName: machine.name,
      vcpu: machine.vcpu,
      memoryMb: machine.memoryMb,
      diskGb: machine.diskGb,
      diskTier: machine.diskTier,
      templateId: machine.templateId,
      offeringId: machine.offeringId,
      providerId: machine.providerId,
    },
  });
  const operation = await createOperation(tx, machine, { kind: "BACKUP", params: { backupId: backup.id }, requestedById: opts.requestedById ?? null });
  await tx.backup.update({ where: { id: backup.id }, data: { operationId: operation.id } });
  return { backupId: backup.id, operationId: operation.id };
}

// A restore to a NEW machine: its PROVISION carries params.fromBackupId, and instead of the
// template the driver imports the verified backup image (idempotent by the machine id, as
// every provision is).
import type { HandlerCtx, LoadedMachine } from "../orchestration/operation-handlers";
import type { Finish } from "../orchestration/operation-handlers";
import { OperationFailure } from "../orchestration/operation-failure";
import { installationId } from "../installation/installation-id";
import { fetchVerified, needBackup } from "./backup-handlers";

export async function provisionFromBackup(c: HandlerCtx, m: LoadedMachine, backupId: string): Promise<Finish> {
  const { db } = c.deps;
  const b = await db.backup.findUnique({ where: { id: backupId }, include: { target: true } });
  if (!b || b.projectId !== m.projectId || b.status !== "AVAILABLE") throw new OperationFailure("NOT_FOUND", "The backup to restore from is no longer available", false);
  const driver = await c.driver();
  const importBackup = needBackup(driver, "importBackup");
  const templateRef = await db.templateProviderRef.findUnique({ where: { templateId_providerId: { templateId: m.templateId, providerId: m.providerId! } } });
  const got = await fetchVerified(c, b);
  try {
    await c.progress(50);
    const installation = await installationId(db);
    const dm = await c.call("import the backup", (o) =>
      importBackup(
        {
          machineId: m.id,
          installationId: installation,
          name: m.name,
          vcpu: m.vcpu,
          memoryMb: m.memoryMb,
          diskGb: m.diskGb,
          diskTier: m.diskTier,
          templateRef: templateRef?.ref ?? "",
          hostRef: m.host ? (m.host.externalRef ?? m.host.name) : null,
          osFamily: m.template.osFamily,
        },
        got.source,
        c.spec.idempotencyKey(c.op),
        o,
      ),
    );
    return async (tx) => {
      await tx.backup.update({ where: { id: b.id }, data: { verifiedAt: c.deps.now() } });
      return { data: { externalRef: dm.ref, ipAddress: dm.ipAddress ?? null, failureCode: null, failureReason: null }, result: { ref: dm.ref, hostId: m.hostId, fromBackupId: b.id } };
    };
  } finally {
    await got.dispose();
  }
}

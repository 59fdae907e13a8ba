// Retention of a backup policy: of its available backups, the newest `keepLast` are kept and
// none older than `keepDays`, except that the newest one is never removed by age (a policy
// that stopped producing backups keeps its last restore point). The object is deleted from the
// store first, then the row marked EXPIRED: a crash in between leaves a row whose object is
// gone, which the next run marks (deleting a missing object succeeds).
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { Db } from "../db/client";
import { recordAudit } from "../audit/record-audit";
import { ObjectStore } from "./object-store";

/** Which of `backups` (newest first) a policy's retention expires at `now`. */
export function expiredBy<T extends { createdAt: Date }>(backups: readonly T[], policy: { keepLast: number; keepDays: number | null }, now: Date): T[] {
  return backups.filter((b, i) => {
    if (i >= Math.max(1, policy.keepLast)) return true;
    if (i > 0 && policy.keepDays !== null && now.getTime() - b.createdAt.getTime() > policy.keepDays * 86_400_000) return true;
    return false;
  });
}

export async function pruneBackups(db: Db, policyId: string, now: Date, log: Logger): Promise<{ expired: number }> {
  const policy = await db.backupPolicy.findUnique({ where: { id: policyId } });
  if (!policy) return { expired: 0 };
  const backups = await db.backup.findMany({ where: { policyId, status: "AVAILABLE" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], include: { target: true } });
  const doomed = expiredBy(backups, policy, now);
  let expired = 0;
  for (const b of doomed) {
    if (b.objectKey) {
      const store = new ObjectStore(b.target);
      try {
        await store.delete(b.objectKey);
      } finally {
        store.close();
      }
    }
    await db.$transaction(async (tx) => {
      const r = await tx.backup.updateMany({ where: { id: b.id, status: "AVAILABLE" }, data: { status: "EXPIRED", expiredAt: now } });
      if (r.count !== 1) return;
      expired++;
      await recordAudit(tx, { actor: null, correlationId: randomUUID() }, {
        action: "backup.expire",
        targetType: "Backup",
        targetId: b.id,
        projectId: b.projectId,
        after: { policyId, machineName: b.machineName, createdAt: b.createdAt.toISOString(), keepLast: policy.keepLast, keepDays: policy.keepDays },
      });
    });
  }
  if (expired) log.info({ policyId, expired }, "backups expired by retention");
  return { expired };
}

/** Every policy (the nightly pass). */
export async function pruneAllBackups(db: Db, now: Date, log: Logger): Promise<number> {
  let n = 0;
  for (const p of await db.backupPolicy.findMany({ select: { id: true } })) n += (await pruneBackups(db, p.id, now, log)).expired;
  return n;
}

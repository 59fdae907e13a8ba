// Worker handlers of BACKUP (export the machine's disk to its backup target, recording size,
// SHA-256 and duration) and RESTORE (download, verify the checksum, then write the image back
// into the machine). A restore to a NEW machine is a provision from a backup
// (provision-from-backup.ts). Both read the Backup row the request created.
import fs from "node:fs";
import { DriverError, type BackupSource, type Driver } from "../drivers/types";
import type { HandlerCtx, OperationHandler } from "../orchestration/operation-handlers";
import { OperationFailure } from "../orchestration/operation-failure";
import { enqueueJob } from "../orchestration/enqueue";
import { ObjectStore, ObjectStoreError, type BackupTargetRow } from "./object-store";
import { BACKUP_PRUNE_TASK } from "./tasks";

export function needBackup<K extends "exportBackup" | "restoreBackup" | "importBackup">(driver: Driver, method: K): NonNullable<Driver[K]> {
  const fn = driver[method];
  if (!driver.capabilities.has("backup") || typeof fn !== "function") {
    throw new DriverError("UNSUPPORTED", `The ${driver.kind} provider cannot export or import machine disks`, false);
  }
  return (fn as (...a: unknown[]) => unknown).bind(driver) as NonNullable<Driver[K]>;
}

/** Object-store failures as operation failures (a store that does not answer is retried). */
export function storeFailure(err: unknown): never {
  if (err instanceof ObjectStoreError) throw new OperationFailure("BACKUP_STORE", err.message, err.retryable);
  throw err;
}

export async function withStore<T>(target: BackupTargetRow, fn: (store: ObjectStore) => Promise<T>): Promise<T> {
  let store: ObjectStore;
  try {
    store = new ObjectStore(target);
  } catch (err) {
    if (err instanceof ObjectStoreError) storeFailure(err);
    throw new OperationFailure("BACKUP_STORE", `Backup target ${target.name} cannot be used: its credentials do not open`, false);
  }
  try {
    return await fn(store);
  } catch (err) {
    return storeFailure(err);
  } finally {
    store.close();
  }
}

const backupIdOf = (c: HandlerCtx) => (typeof c.params.backupId === "string" ? c.params.backupId : "");

/** The object key of a backup: <prefix><project>/<machine>/<backup>. */
export const backupObjectKey = (store: ObjectStore, b: { projectId: string; machineId: string; id: string }) => store.key(`${b.projectId}/${b.machineId}/${b.id}`);

export const backup: OperationHandler = async (c) => {
  const { db } = c.deps;
  const b = await db.backup.findUnique({ where: { id: backupIdOf(c) }, include: { target: true } });
  if (!b || b.machineId !== c.machine.id) throw new OperationFailure("NOT_FOUND", "The backup record of this operation no longer exists", false, true);
  if (b.status === "AVAILABLE") return async () => ({ result: { backupId: b.id, alreadyDone: true } });
  const ref = c.machine.externalRef;
  if (!ref) throw new OperationFailure("CONFLICT", "The machine has not been created on a provider yet", false, true);
  const driver = await c.driver();
  const exportBackup = needBackup(driver, "exportBackup");
  await db.backup.update({ where: { id: b.id }, data: { status: "RUNNING", startedAt: b.startedAt ?? c.deps.now(), error: null } });
  const started = Date.now();
  let format = "";
  const stored = await withStore(b.target, (store) =>
    c.call("export to the backup target", async (o) => {
      const exp = await exportBackup(ref, o);
      format = exp.format;
      await c.progress(30);
      return { key: backupObjectKey(store, b), ...(await store.put(backupObjectKey(store, b), exp.stream, { "orq-machine": b.machineId, "orq-backup": b.id, "orq-format": exp.format }, o.signal)) };
    }),
  );
  const durationMs = Date.now() - started;
  return async (tx) => {
    await tx.backup.update({
      where: { id: b.id },
      data: { status: "AVAILABLE", objectKey: stored.key, format, sizeBytes: BigInt(stored.sizeBytes), sha256: stored.sha256, durationMs, completedAt: c.deps.now(), error: null },
    });
    // Retention runs after every backup of a policy (and nightly).
    if (b.policyId) await enqueueJob(tx, BACKUP_PRUNE_TASK, { policyId: b.policyId }, { jobKey: `backup-prune:${b.policyId}` });
    return { result: { backupId: b.id, sizeBytes: stored.sizeBytes, sha256: stored.sha256, durationMs, format } };
  };
};

/**
 * Downloads a backup into a temporary file and checks its size and SHA-256 against the
 * record; a mismatch is recorded on the backup and ends the operation (never retried: the
 * stored object is not what was backed up).
 */
export async function fetchVerified(c: HandlerCtx, b: { id: string; objectKey: string | null; sha256: string | null; sizeBytes: bigint | null; format: string | null; target: BackupTargetRow }) {
  if (!b.objectKey || !b.sha256 || b.sizeBytes === null || !b.format) throw new OperationFailure("CONFLICT", "The backup is not complete", false, true);
  const key = b.objectKey;
  const dl = await withStore(b.target, (store) => c.call("download the backup", (o) => store.download(key, o.signal)));
  if (dl.sha256 !== b.sha256 || dl.sizeBytes !== Number(b.sizeBytes)) {
    await dl.dispose();
    const message = `The stored backup does not match its checksum (expected ${b.sha256.slice(0, 12)}…, ${b.sizeBytes} bytes; found ${dl.sha256.slice(0, 12)}…, ${dl.sizeBytes} bytes)`;
    await c.deps.db.backup.update({ where: { id: b.id }, data: { error: message } });
    throw new OperationFailure("CHECKSUM_MISMATCH", message, false);
  }
  const source: BackupSource = { format: b.format, sizeBytes: dl.sizeBytes, open: () => fs.createReadStream(dl.file) };
  return { source, sha256: dl.sha256, dispose: dl.dispose };
}

export const restore: OperationHandler = async (c) => {
  const { db } = c.deps;
  const b = await db.backup.findUnique({ where: { id: backupIdOf(c) }, include: { target: true } });
  if (!b || b.projectId !== c.machine.projectId) throw new OperationFailure("NOT_FOUND", "The backup no longer exists", false, true);
  if (b.status !== "AVAILABLE") throw new OperationFailure("CONFLICT", `The backup is ${b.status.toLowerCase()}, so it cannot be restored`, false);
  const ref = c.machine.externalRef;
  if (!ref) throw new OperationFailure("CONFLICT", "The machine has not been created on a provider yet", false, true);
  const driver = await c.driver();
  const restoreBackup = needBackup(driver, "restoreBackup");
  const got = await fetchVerified(c, b);
  try {
    await c.progress(50);
    const r = await c.call("restore", (o) => restoreBackup(ref, got.source, o));
    return async (tx) => {
      await tx.backup.update({ where: { id: b.id }, data: { verifiedAt: c.deps.now(), error: null } });
      return { data: r.ref !== ref ? { externalRef: r.ref } : {}, result: { backupId: b.id, sha256: got.sha256, verified: true } };
    };
  } finally {
    await got.dispose();
  }
};

// Backups against a real S3-compatible server (s3rver on loopback) with real worker processes:
// a simulator machine's disk is exported and uploaded (multipart: 10 MiB), its size and
// SHA-256 recorded; restored into the same machine and into a new one after the checksum is
// verified; a tampered object is refused; a policy fires on its schedule and retention prunes
// by count and, with a moved clock, by age.
import { createHash } from "node:crypto";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db";
import type { Db } from "../../lib/db/client";
import { generateEncryptionKey } from "../../lib/crypto/seal";
import { ctxFor } from "../factories";
import { createBackupTarget } from "../../lib/backups/create-backup-target";
import { backupMachine } from "../../lib/backups/backup-machine";
import { restoreBackup } from "../../lib/backups/restore-backup";
import { restoreToNewMachine } from "../../lib/backups/restore-to-new-machine";
import { createBackupPolicy } from "../../lib/backups/create-backup-policy";
import { ObjectStore } from "../../lib/backups/object-store";
import { pruneBackups } from "../../lib/backups/prune";
import { enqueueJob } from "../../lib/orchestration/enqueue";
import { SCHEDULER_TASK } from "../../lib/schedules/fire";
import { logger } from "../../lib/log/logger";
import { startS3, type TestS3 } from "../s3";
import { allMachinesIn, approve, makeEstate, spawnWorker, stopAllWorkers, waitFor } from "../orchestration/harness";

const key = generateEncryptionKey();
process.env.ORQ_ENCRYPTION_KEY = key;

let t: TestDatabase;
let db: Db;
let s3: TestS3;

beforeAll(async () => {
  [t, s3] = await Promise.all([createTestDatabase(), startS3()]);
  db = t.db;
});

afterAll(async () => {
  await stopAllWorkers();
  await s3?.stop();
  await t?.drop();
});

const sha = (b: Buffer | Uint8Array) => createHash("sha256").update(b).digest("hex");

async function operationEnded(db: Db, id: string) {
  return waitFor(`operation ${id} to end`, async () => {
    const op = await db.operation.findUniqueOrThrow({ where: { id } });
    return ["SUCCEEDED", "FAILED", "CANCELLED"].includes(op.status) ? op : null;
  });
}

describe("backups", () => {
  it("backs up to S3, verifies, restores in place and to a new machine, refuses a tampered object", { timeout: 150_000 }, async () => {
    const e = await makeEstate(db, { hosts: 2 });
    await db.provider.update({ where: { id: e.providerId }, data: { config: { latencyMs: 0, imageKb: 10 * 1024 } } });
    const worker = await spawnWorker(t.url, { ORQ_ENCRYPTION_KEY: key });
    const admin = await ctxFor(db, e.approverId);
    const owner = await ctxFor(db, e.ownerId);
    const target = await createBackupTarget(admin, {
      name: "s3rver",
      endpoint: s3.endpoint,
      region: "us-east-1",
      bucket: s3.bucket,
      prefix: "orq/",
      forcePathStyle: true,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    });
    // Sealed, bound to the target: the secret is not stored in clear.
    const row = await db.backupTarget.findUniqueOrThrow({ where: { id: target.id } });
    expect(row.credentialsEnc).not.toContain("S3RVER");

    const { machineIds } = await approve(db, e, { quantity: 1 });
    await allMachinesIn(db, machineIds, ["RUNNING"]);
    const machineId = machineIds[0];
    const sim = await db.simMachine.findFirstOrThrow({ where: { idempotencyKey: machineId } });

    // 1. Back up the machine as it is (a 10 MiB image never written).
    const first = await backupMachine(owner, { machineId, targetId: target.id });
    expect((await operationEnded(db, first.operationId)).status).toBe("SUCCEEDED");
    const b1 = await db.backup.findUniqueOrThrow({ where: { id: first.backupId } });
    expect(b1).toMatchObject({ status: "AVAILABLE", format: "sim-image" });
    expect(Number(b1.sizeBytes)).toBeGreaterThan(10 * 1024 * 1024);
    expect(b1.objectKey).toBe(`orq/${e.projectId}/${machineId}/${b1.id}`);
    // The recorded checksum is the stored object's, read back independently.
    const store = new ObjectStore(row);
    const dl = await store.download(b1.objectKey!);
    expect(dl).toMatchObject({ sha256: b1.sha256, sizeBytes: Number(b1.sizeBytes) });
    await dl.dispose();
    const original = (await import("node:fs")).readFileSync((await store.download(b1.objectKey!)).file);
    const originalDisk = original.subarray(original.indexOf(10) + 1);
    console.log(`[backup] ${(Number(b1.sizeBytes) / 1048576).toFixed(1)} MiB in ${b1.durationMs} ms, sha256 ${b1.sha256!.slice(0, 16)}…`);

    // 2. The disk changes; restore the backup into the same machine.
    const changed = Buffer.from("changed after the backup\n".repeat(1000));
    await db.simMachine.update({ where: { id: sim.id }, data: { diskData: new Uint8Array(changed) } });
    const second = await backupMachine(owner, { machineId, targetId: target.id });
    expect((await operationEnded(db, second.operationId)).status).toBe("SUCCEEDED");
    const restored = await restoreBackup(owner, { backupId: b1.id });
    expect(restored.state).toBe("RESTORING");
    const r1 = await operationEnded(db, restored.operationId);
    expect(r1.status).toBe("SUCCEEDED");
    expect(r1.result).toMatchObject({ verified: true, sha256: b1.sha256 });
    const disk = (await db.simMachine.findUniqueOrThrow({ where: { id: sim.id } })).diskData!;
    expect(sha(disk)).toBe(sha(originalDisk));
    expect((await db.machine.findUniqueOrThrow({ where: { id: machineId } })).state).toBe("RUNNING");

    // 3. Restore the second backup into a new machine: it carries the changed disk.
    const fresh = await restoreToNewMachine(owner, { backupId: second.backupId, name: "restored-copy" });
    await allMachinesIn(db, [fresh.machineId], ["RUNNING"]);
    const freshSim = await db.simMachine.findFirstOrThrow({ where: { idempotencyKey: fresh.machineId } });
    expect(Buffer.from(freshSim.diskData!).equals(changed)).toBe(true);

    // 4. Someone overwrites the stored object: the restore is refused, the disk untouched.
    const b2 = await db.backup.findUniqueOrThrow({ where: { id: second.backupId } });
    const client = new S3Client({ endpoint: s3.endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
    await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: b2.objectKey!, Body: Buffer.from("not the backup") }));
    client.destroy();
    const bad = await restoreBackup(owner, { backupId: b2.id });
    const r2 = await operationEnded(db, bad.operationId);
    expect(r2).toMatchObject({ status: "FAILED", errorCode: "CHECKSUM_MISMATCH" });
    expect((await db.backup.findUniqueOrThrow({ where: { id: b2.id } })).error).toMatch(/does not match its checksum/);
    expect(sha((await db.simMachine.findUniqueOrThrow({ where: { id: sim.id } })).diskData!)).toBe(sha(originalDisk));
    expect((await db.machine.findUniqueOrThrow({ where: { id: machineId } })).state).toBe("RUNNING");
    store.close();
    await worker.stop();
  });

  it("a nightly policy fires on schedule; retention keeps the newest by count and prunes by age", { timeout: 120_000 }, async () => {
    const e = await makeEstate(db, { hosts: 1 });
    const worker = await spawnWorker(t.url, { ORQ_ENCRYPTION_KEY: key });
    const admin = await ctxFor(db, e.approverId);
    const owner = await ctxFor(db, e.ownerId);
    const target = await createBackupTarget(admin, {
      name: "s3rver-policy",
      endpoint: s3.endpoint,
      region: "us-east-1",
      bucket: s3.bucket,
      prefix: "",
      forcePathStyle: true,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    });
    const { machineIds } = await approve(db, e, { quantity: 1 });
    await allMachinesIn(db, machineIds, ["RUNNING"]);
    const start = new Date("2026-12-01T12:00:00Z");
    const policy = await createBackupPolicy({ ...owner, now: () => start }, { projectId: e.projectId, targetId: target.id, name: "nightly", cron: "0 1 * * *", keepLast: 2, keepDays: 7 });
    expect(policy.nextRunAt).toBe("2026-12-02T01:00:00.000Z");

    // Three nights.
    for (const night of ["2026-12-02T01:00:10Z", "2026-12-03T01:00:10Z", "2026-12-04T01:00:10Z"]) {
      await db.$transaction((tx) => enqueueJob(tx, SCHEDULER_TASK, { now: night }));
      await waitFor(`the backup of ${night}`, async () => {
        const f = await db.scheduledFiring.findUnique({ where: { source_occurrence: { source: `backup-policy:${policy.id}`, occurrence: new Date(night.replace(":10Z", ":00Z")) } } });
        if (!f) return null;
        return (await db.backup.count({ where: { policyId: policy.id, status: { in: ["PENDING", "RUNNING"] } } })) === 0;
      });
    }
    // After each backup retention ran: the newest two are kept, the oldest object deleted.
    const all = await waitFor("retention by count", async () => {
      const bs = await db.backup.findMany({ where: { policyId: policy.id }, orderBy: { createdAt: "asc" } });
      return bs.length === 3 && bs[0].status === "EXPIRED" ? bs : null;
    });
    expect(all.map((b) => b.status)).toEqual(["EXPIRED", "AVAILABLE", "AVAILABLE"]);
    const store = new ObjectStore(await db.backupTarget.findUniqueOrThrow({ where: { id: target.id } }));
    expect(await store.head(all[0].objectKey!)).toBeNull();
    expect(await store.head(all[1].objectKey!)).not.toBeNull();
    // Thirty days later: older than keepDays, but the newest restore point is never pruned by age.
    const later = new Date(Date.now() + 30 * 86_400_000);
    expect(await pruneBackups(db, policy.id, later, logger)).toEqual({ expired: 1 });
    const left = await db.backup.findMany({ where: { policyId: policy.id, status: "AVAILABLE" } });
    expect(left.map((b) => b.id)).toEqual([all[2].id]);
    expect(await store.head(all[1].objectKey!)).toBeNull();
    expect(await store.head(all[2].objectKey!)).not.toBeNull();
    expect(await db.auditEvent.count({ where: { action: "backup.expire" } })).toBe(2);
    store.close();
    await worker.stop();
  });
});

// Native backup conformance (capability "backup"), shared by each real driver's
// *.backup.conformance.test.ts: a machine with a file written into it is exported by the
// driver's own mechanism, streamed to a real S3-compatible server (s3rver, as the backup
// integration tests), downloaded back with its SHA-256 checked, then restored in place and
// imported as a new machine; the file written before the backup is there after both, and a
// file written after the backup is gone. Faults after the side effect: an export whose
// consumer fails half-way leaves no staging object (committed image, LXD backup, disk copy);
// a restore or import run twice leaves one machine. Figures (sizes, durations) are printed as
// "[backup figures] <driver>: ...".
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ObjectStore, type BackupTargetRow } from "@/lib/backups/object-store";
import { generateEncryptionKey, seal } from "@/lib/crypto/seal";
import type { BackupSource, Driver, MachineSpec } from "@/lib/drivers/types";
import { startS3, type TestS3 } from "../s3";
import { waitFor } from "../wait";

export interface BackupConformanceTarget {
  name: string;
  setup: () => Promise<{ reason: string } | { ok: true }>;
  driver: () => Driver;
  spec: (machineId: string) => Omit<MachineSpec, "installationId">;
  /** Writes `text` into a file of the machine (its disk). */
  writeMarker: (d: Driver, ref: string, text: string) => Promise<void>;
  /** Reads that file back (null: no such file). */
  readMarker: (d: Driver, ref: string) => Promise<string | null>;
  /** The provider-side staging objects a finished or failed export must not leave behind. */
  leftovers: (d: Driver) => Promise<string[]>;
  teardown?: () => Promise<void>;
}

export function describeBackupConformance(target: BackupConformanceTarget) {
  describe(`${target.name} native backup`, () => {
    let skipReason: string | undefined;
    let driver: Driver;
    let s3: TestS3;
    let store: ObjectStore;
    const installationId = randomUUID();
    const machineA = randomUUID();
    const machineB = randomUUID();
    const figures: Record<string, string> = {};
    const spec = (id: string): MachineSpec => ({ ...target.spec(id), installationId });
    const files: string[] = [];

    beforeAll(async () => {
      const r = await target.setup();
      if ("reason" in r) {
        skipReason = r.reason;
        return;
      }
      process.env.ORQ_ENCRYPTION_KEY ||= generateEncryptionKey();
      s3 = await startS3();
      const row: BackupTargetRow = { id: randomUUID(), name: "conformance", endpoint: s3.endpoint, region: "us-east-1", bucket: s3.bucket, prefix: target.name, forcePathStyle: true, credentialsEnc: null };
      row.credentialsEnc = seal(JSON.stringify({ accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }), { associatedData: row.id });
      store = new ObjectStore(row);
      driver = target.driver();
    }, 120_000);

    afterAll(async () => {
      if (driver) {
        for (const id of [machineA, machineB]) {
          const m = await driver.findByMachineId(id).catch(() => null);
          if (m) await driver.destroy(m.ref).catch(() => {});
        }
        await driver.close();
      }
      for (const f of files) fs.rmSync(f, { force: true, recursive: true });
      await s3?.stop();
      await target.teardown?.();
      if (Object.keys(figures).length) console.log(`[backup figures] ${target.name}: ${Object.entries(figures).map(([k, v]) => `${k} ${v}`).join(", ")}`);
    }, 180_000);

    const live = (name: string, fn: () => Promise<void>, timeout = 300_000) =>
      it(name, async (ctx) => {
        if (skipReason) {
          if (process.env.CI) throw new Error(`CI requires the ${target.name} backend: ${skipReason}`);
          ctx.skip(skipReason);
        }
        await fn();
      }, timeout);

    const secs = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(2)} s`;
    let refA = "";
    let source: BackupSource;
    const before = `before-backup-${randomUUID()}`;

    live("exports a machine to the object store with its checksum, leaving no staging object", async () => {
      expect(driver.capabilities.has("backup")).toBe(true);
      const m = await driver.provision(spec(machineA), `backup-conformance-${machineA}`);
      refA = m.ref;
      await target.writeMarker(driver, refA, before);
      expect(await target.readMarker(driver, refA)).toBe(before);
      // Exported while running (the driver takes its own consistent point).
      await driver.start(refA);
      expect((await driver.getMachine(refA)).state).toBe("RUNNING");

      let t0 = performance.now();
      const exp = await driver.exportBackup!(refA);
      const key = store.key(`${machineA}/one`);
      const stored = await store.put(key, exp.stream, { "orq-format": exp.format });
      figures.export = secs(t0);
      figures.size = `${(stored.sizeBytes / 1024 / 1024).toFixed(2)} MiB`;
      figures.format = exp.format;
      expect(stored.sizeBytes).toBeGreaterThan(0);
      expect((await driver.getMachine(refA)).state).toBe("RUNNING");
      await waitFor(`${target.name}: export staging removed`, async () => (await target.leftovers(driver)).length === 0, { timeoutMs: 60_000 });

      t0 = performance.now();
      const dl = await store.download(key);
      files.push(dl.file.replace(/\/image$/, ""));
      figures.download = secs(t0);
      expect(dl.sha256).toBe(stored.sha256);
      expect(dl.sizeBytes).toBe(stored.sizeBytes);
      source = { format: exp.format, sizeBytes: dl.sizeBytes, open: () => fs.createReadStream(dl.file) };
      // Written after the backup: a restore must take it away.
      await target.writeMarker(driver, refA, "after-backup");
    });

    live("restores in place: the data written before the backup is back, and a retry leaves one machine", async () => {
      expect(source).toBeDefined();
      let t0 = performance.now();
      const r = await driver.restoreBackup!(refA, source);
      figures.restore = secs(t0);
      expect(await target.readMarker(driver, r.ref)).toBe(before);
      const m = await driver.getMachine(r.ref);
      expect(m.machineId).toBe(machineA);
      expect(m.installationId).toBe(installationId);

      // The worker died before recording the new ref: the retry comes with the old one.
      t0 = performance.now();
      const again = await driver.restoreBackup!(refA, source);
      figures.restoreRetry = secs(t0);
      expect(again.ref).toBe(r.ref);
      const mine = (await driver.listMachines()).filter((x) => x.machineId === machineA);
      expect(mine.map((x) => x.ref)).toEqual([r.ref]);
      expect(await target.readMarker(driver, r.ref)).toBe(before);

      // Restoring the same backup again later (current ref) is a new restore, not a no-op.
      await target.writeMarker(driver, r.ref, "after-restore");
      const later = await driver.restoreBackup!(r.ref, source);
      expect(await target.readMarker(driver, later.ref)).toBe(before);
      expect((await driver.listMachines()).filter((x) => x.machineId === machineA).map((x) => x.ref)).toEqual([later.ref]);
      refA = later.ref;
    });

    live("imports the backup as a new machine with its own ownership tags, idempotently", async () => {
      expect(source).toBeDefined();
      const t0 = performance.now();
      const b = await driver.importBackup!(spec(machineB), source, `backup-import-${machineB}`);
      figures.import = secs(t0);
      expect(b.machineId).toBe(machineB);
      expect(b.ref).not.toBe(refA);
      expect(await target.readMarker(driver, b.ref)).toBe(before);
      const again = await driver.importBackup!(spec(machineB), source, `backup-import-${machineB}`);
      expect(again.ref).toBe(b.ref);
      const all = await driver.listMachines();
      expect(all.filter((x) => x.machineId === machineB).map((x) => x.ref)).toEqual([b.ref]);
      expect(all.filter((x) => x.machineId === machineA).map((x) => x.ref)).toEqual([refA]);
    });

    live("an export whose upload fails half-way leaves no staging object behind", async () => {
      await driver.start(refA);
      const exp = await driver.exportBackup!(refA);
      await new Promise<void>((resolve, reject) => {
        exp.stream.once("data", () => {
          // The upload to the store died after the first bytes.
          (exp.stream as NodeJS.ReadableStream & { destroy: (e?: Error) => void }).destroy(new Error("upload failed"));
          resolve();
        });
        exp.stream.once("error", () => resolve());
        exp.stream.once("end", () => reject(new Error("the export ended before it could fail")));
      });
      await waitFor(`${target.name}: failed export's staging removed`, async () => (await target.leftovers(driver)).length === 0, { timeoutMs: 60_000 });
    });

    live("an export cut short by the caller's deadline leaves no staging object behind", async () => {
      const ac = new AbortController();
      const p = driver.exportBackup!(refA, { signal: ac.signal });
      setImmediate(() => ac.abort(new Error("deadline")));
      const r = await p.then(
        (e) => new Promise<string>((resolve) => {
          e.stream.once("error", () => resolve("stream failed"));
          e.stream.once("end", () => resolve("ended"));
          e.stream.resume();
        }),
        () => "call failed",
      );
      expect(["stream failed", "call failed", "ended"]).toContain(r);
      await waitFor(`${target.name}: aborted export's staging removed`, async () => (await target.leftovers(driver)).length === 0, { timeoutMs: 60_000 });
    });

    live("destroying restored and imported machines leaves nothing of the backups behind", async () => {
      for (const id of [machineA, machineB]) {
        const m = await driver.findByMachineId(id);
        if (m) await driver.destroy(m.ref);
      }
      await waitFor(`${target.name}: no machine and no staging left`, async () => (await target.leftovers(driver)).length === 0 && !(await driver.findByMachineId(machineA)) && !(await driver.findByMachineId(machineB)), { timeoutMs: 60_000 });
    });
  });
}

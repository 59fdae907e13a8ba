// Retention with a controllable clock: what is older than the configured age goes (audit
// events into the archive file first), what is newer or still running stays.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { makeProject, makeUser } from "../../test/factories";
import { makeMachine } from "../../test/machine-factories";
import { pruneOldRecords, retentionConfig } from "./prune-old-records";

let t: TestDatabase;
let dir: string;
beforeAll(async () => {
  t = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "orq-retention-"));
});
afterAll(async () => {
  await t?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const day = 86_400_000;

describe("pruneOldRecords", () => {
  it("archives then prunes old audit events, prunes old finished operations and notifications", async () => {
    const db = t.db;
    const now = new Date("2030-06-01T12:00:00Z");
    const old = new Date(now.getTime() - 40 * day);
    const recent = new Date(now.getTime() - 5 * day);
    const user = await makeUser(db);
    const project = await makeProject(db);
    const m = await makeMachine(db, { projectId: project.id, ownerId: user.id, state: "RUNNING", name: "ret-01" });
    for (let i = 0; i < 7; i++) await db.auditEvent.create({ data: { at: old, action: "machine.started", targetType: "Machine", targetId: m.id, after: { i } } });
    await db.auditEvent.create({ data: { at: recent, action: "machine.stopped", targetType: "Machine", targetId: m.id } });
    const oldDone = await db.operation.create({ data: { machineId: m.id, kind: "STOP", status: "SUCCEEDED", createdAt: old } });
    const oldQueued = await db.operation.create({ data: { machineId: m.id, kind: "START", status: "QUEUED", createdAt: old } });
    const recentDone = await db.operation.create({ data: { machineId: m.id, kind: "REBOOT", status: "FAILED", createdAt: recent } });
    await db.notification.create({ data: { userId: user.id, kind: "machine.ready", createdAt: old } });
    const keptNote = await db.notification.create({ data: { userId: user.id, kind: "machine.ready", createdAt: recent } });

    // Batches of 3: several rounds, each exported before it is deleted.
    const r = await pruneOldRecords(db, now, { days: 30, archiveDir: dir, batch: 3 });
    expect(r).toMatchObject({ auditArchived: 7, operations: 1, notifications: 1 });
    const lines = fs.readFileSync(r.auditFile!, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(7);
    expect(lines.map((l) => l.after.i).sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(lines.every((l) => l.at === old.toISOString() && l.targetId === m.id)).toBe(true);
    expect(await db.auditEvent.count({ where: { targetId: m.id } })).toBe(1);
    expect((await db.operation.findMany({ where: { machineId: m.id }, select: { id: true } })).map((o) => o.id).sort()).toEqual([oldQueued.id, recentDone.id].sort());
    expect(await db.operation.findUnique({ where: { id: oldDone.id } })).toBeNull();
    expect((await db.notification.findMany({ where: { userId: user.id } })).map((n) => n.id)).toEqual([keptNote.id]);

    // Idempotent; and 0 days means off.
    expect(await pruneOldRecords(db, now, { days: 30, archiveDir: dir })).toMatchObject({ auditArchived: 0, operations: 0, notifications: 0 });
    expect((await pruneOldRecords(db, new Date(now.getTime() + 100 * day), { days: 0, archiveDir: dir })).cutoff).toBeNull();
    expect(await db.auditEvent.count({ where: { targetId: m.id } })).toBe(1);
  });

  it("prunes API tokens revoked or expired long ago and spent simulator faults, nothing else", async () => {
    const db = t.db;
    const now = new Date("2030-07-01T12:00:00Z");
    const user = await makeUser(db);
    const token = (name: string, data: { revokedAt?: Date; expiresAt?: Date }) =>
      db.apiToken.create({ data: { userId: user.id, name, tokenHash: `hash-${name}-${Math.random()}`, prefix: "orq_x", ...data } });
    await token("revoked-old", { revokedAt: new Date(now.getTime() - 31 * day) });
    await token("expired-old", { expiresAt: new Date(now.getTime() - 45 * day) });
    const revokedRecent = await token("revoked-recent", { revokedAt: new Date(now.getTime() - 2 * day) });
    const expiredRecent = await token("expired-recent", { expiresAt: new Date(now.getTime() - 29 * day) });
    const live = await token("live", { expiresAt: new Date(now.getTime() + 10 * day) });
    const forever = await token("forever", {});
    const provider = await db.provider.create({ data: { name: `sim-ret-${Date.now()}`, kind: "SIMULATOR", config: {} } });
    const spent = await db.simFault.create({ data: { providerId: provider.id, operation: "start", mode: "TRANSIENT", remaining: 0 } });
    const left = await db.simFault.create({ data: { providerId: provider.id, operation: "stop", mode: "TRANSIENT", remaining: 2 } });
    const always = await db.simFault.create({ data: { providerId: provider.id, operation: "*", mode: "PERMANENT", remaining: null } });

    const r = await pruneOldRecords(db, now, { days: 365, archiveDir: dir, tokenDays: 30 });
    expect(r).toMatchObject({ apiTokens: 2, simFaults: 1 });
    expect((await db.apiToken.findMany({ where: { userId: user.id }, select: { id: true } })).map((x) => x.id).sort()).toEqual(
      [revokedRecent.id, expiredRecent.id, live.id, forever.id].sort(),
    );
    expect(await db.simFault.findUnique({ where: { id: spent.id } })).toBeNull();
    expect((await db.simFault.findMany({ where: { providerId: provider.id }, select: { id: true } })).map((x) => x.id).sort()).toEqual([left.id, always.id].sort());

    // A second run finds nothing more; retention off (0 days) touches nothing.
    expect(await pruneOldRecords(db, now, { days: 365, archiveDir: dir, tokenDays: 30 })).toMatchObject({ apiTokens: 0, simFaults: 0 });
    await db.simFault.update({ where: { id: left.id }, data: { remaining: 0 } });
    expect(await pruneOldRecords(db, new Date(now.getTime() + 400 * day), { days: 0, archiveDir: dir })).toMatchObject({ apiTokens: 0, simFaults: 0 });
    expect(await db.simFault.count({ where: { id: left.id } })).toBe(1);
  });

  it("reads its configuration from the environment, with safe defaults", () => {
    expect(retentionConfig({}).tokenDays).toBe(30);
    expect(retentionConfig({ ORQ_TOKEN_RETENTION_DAYS: "7" }).tokenDays).toBe(7);
    expect(retentionConfig({ ORQ_TOKEN_RETENTION_DAYS: "0" }).tokenDays).toBe(30);
    expect(retentionConfig({}).days).toBe(365);
    expect(retentionConfig({ ORQ_RETENTION_DAYS: "0" }).days).toBe(0);
    expect(retentionConfig({ ORQ_RETENTION_DAYS: "-3" }).days).toBe(365);
    expect(retentionConfig({ ORQ_AUDIT_ARCHIVE_DIR: "/var/x" }).archiveDir).toBe("/var/x");
  });
});

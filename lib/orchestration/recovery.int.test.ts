import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { approve, makeEstate } from "../../test/orchestration/harness";
import { heartbeat, recoverOrphanOperations, recoverStaleLocks } from "./recovery";

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});

afterAll(async () => {
  await t?.drop();
});

const jobs = (machineId: string) =>
  t.db.$queryRaw<{ locked_by: string | null; attempts: number }[]>`
    select locked_by, attempts from graphile_worker._private_jobs where key = ${`machine-ops:${machineId}`}`;

describe("crash recovery", () => {
  it("re-enqueues an operation whose job vanished and fails one whose job gave up", async () => {
    const e = await makeEstate(t.db);
    const a = await approve(t.db, e);
    const b = await approve(t.db, e);
    const [mA, mB] = [a.machineIds[0], b.machineIds[0]];
    const opB = b.operationIds[0];
    await t.db.$executeRaw`delete from graphile_worker._private_jobs where key = ${`machine-ops:${mA}`}`;
    await t.db.$executeRaw`update graphile_worker._private_jobs set attempts = max_attempts, last_error = 'boom: database exploded' where key = ${`machine-ops:${mB}`}`;
    const r = await recoverOrphanOperations(t.db, { olderThanMs: 0, now: () => new Date() });
    expect(r).toEqual({ requeued: 1, failed: 1 });
    expect(await jobs(mA)).toHaveLength(1);
    const failed = await t.db.operation.findUniqueOrThrow({ where: { id: opB } });
    expect([failed.status, failed.errorCode]).toEqual(["FAILED", "INTERNAL"]);
    expect(failed.error).toContain("boom: database exploded");
    expect((await t.db.machine.findUniqueOrThrow({ where: { id: b.machineIds[0] } })).state).toBe("FAILED");
    // Quota of the failed provision is given back; the requeued one still holds its share.
    expect((await t.db.project.findUniqueOrThrow({ where: { id: e.projectId } })).usedMachines).toBe(1);
    expect(await recoverOrphanOperations(t.db, { olderThanMs: 0, now: () => new Date() })).toEqual({ requeued: 0, failed: 0 });
  });

  it("unlocks the jobs of a pool whose heartbeat stopped, never those of a live or own pool", async () => {
    const e = await makeEstate(t.db);
    const dead = await approve(t.db, e);
    const live = await approve(t.db, e);
    const lock = (machineId: string, pool: string) =>
      t.db.$executeRaw`update graphile_worker._private_jobs set locked_by = ${pool}, locked_at = now() where key = ${`machine-ops:${machineId}`}`;
    await heartbeat(t.db, "pool-dead");
    await heartbeat(t.db, "pool-live");
    await t.db.workerProcess.update({ where: { id: "pool-dead" }, data: { heartbeatAt: new Date(Date.now() - 60_000) } });
    await lock(dead.machineIds[0], "pool-dead");
    await lock(live.machineIds[0], "pool-live");
    // Right after a database restart every heartbeat looks old: nothing is judged yet.
    expect(await recoverStaleLocks(t.db, { staleAfterMs: 1000, unknownAfterMs: 600_000, selfPoolId: "pool-live", restartGraceMs: 3600_000 })).toEqual([]);
    const freed = await recoverStaleLocks(t.db, { staleAfterMs: 1000, unknownAfterMs: 600_000, selfPoolId: "pool-live", restartGraceMs: 0 });
    expect(freed).toEqual(["pool-dead"]);
    expect((await jobs(dead.machineIds[0]))[0].locked_by).toBeNull();
    expect(await t.db.workerProcess.count({ where: { id: "pool-dead" } })).toBe(0);
    expect((await jobs(live.machineIds[0]))[0].locked_by).toBe("pool-live");
    // Its own pool is never treated as dead, however late its heartbeat.
    await t.db.workerProcess.update({ where: { id: "pool-live" }, data: { heartbeatAt: new Date(Date.now() - 60_000) } });
    expect(await recoverStaleLocks(t.db, { staleAfterMs: 1000, unknownAfterMs: 600_000, selfPoolId: "pool-live", restartGraceMs: 0 })).toEqual([]);
  });
});

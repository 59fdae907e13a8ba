// Scheduled operations fire exactly once per occurrence, in the project's time zone, whatever
// the number of workers, retried jobs and a worker killed in the middle: the firing row and
// the operations it queues commit together.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db";
import type { Db } from "../../lib/db/client";
import { enqueueJob } from "../../lib/orchestration/enqueue";
import { fireDueSchedules, SCHEDULER_TASK } from "../../lib/schedules/fire";
import { nextOccurrence } from "../../lib/schedules/cron";
import { logger } from "../../lib/log/logger";
import { allMachinesIn, approve, makeEstate, spawnWorker, stopAllWorkers, waitFor } from "../orchestration/harness";

let t: TestDatabase;
let db: Db;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
});

afterAll(async () => {
  await stopAllWorkers();
  await t?.drop();
});

const tick = (now: string, n = 1) =>
  db.$transaction(async (tx) => {
    for (let i = 0; i < n; i++) await enqueueJob(tx, SCHEDULER_TASK, { now });
  });

describe("scheduled operations", () => {
  it("power off at 20:00 on weekdays and on at 07:00, São Paulo time: once per occurrence across a worker kill", { timeout: 120_000 }, async () => {
    const e = await makeEstate(db, { hosts: 2 });
    const tz = "America/Sao_Paulo";
    await db.project.update({ where: { id: e.projectId }, data: { timeZone: tz } });
    const { machineIds } = await approve(db, e, { quantity: 3 });
    let worker = await spawnWorker(t.url);
    await allMachinesIn(db, machineIds, ["RUNNING"]);
    const t0 = new Date("2026-12-04T12:00:00Z"); // Friday, 09:00 in São Paulo
    const off = await db.schedule.create({
      data: { projectId: e.projectId, name: "evenings off", action: "STOP", cron: "0 20 * * 1-5", timeZone: tz, nextRunAt: nextOccurrence("0 20 * * 1-5", tz, t0) },
    });
    const on = await db.schedule.create({
      data: { projectId: e.projectId, name: "mornings on", action: "START", cron: "0 7 * * 1-5", timeZone: tz, nextRunAt: nextOccurrence("0 7 * * 1-5", tz, t0) },
    });
    expect(off.nextRunAt?.toISOString()).toBe("2026-12-04T23:00:00.000Z");
    expect(on.nextRunAt?.toISOString()).toBe("2026-12-07T10:00:00.000Z");

    // Friday 20:00:30 local: many ticks at once, a direct call racing them, and the worker
    // killed while they run; a new worker then ticks again for the same moment.
    const friday = "2026-12-04T23:00:30.000Z";
    await Promise.all([tick(friday, 6), fireDueSchedules(db, new Date(friday), logger), fireDueSchedules(db, new Date(friday), logger)]);
    await worker.kill();
    worker = await spawnWorker(t.url);
    await tick(friday, 3);
    await tick("2026-12-04T23:05:00.000Z");
    await allMachinesIn(db, machineIds, ["STOPPED"]);
    await waitFor("no scheduler job left", async () => (await db.$queryRaw<{ n: number }[]>`select count(*)::int as n from graphile_worker.jobs where task_identifier = ${SCHEDULER_TASK}`)[0].n === 0);
    expect(await db.scheduledFiring.findMany({ where: { source: `schedule:${off.id}` } })).toMatchObject([{ occurrence: new Date("2026-12-04T23:00:00Z"), outcome: "FIRED", operations: 3 }]);
    expect(await db.operation.count({ where: { kind: "STOP", machineId: { in: machineIds } } })).toBe(3);
    // Next: Monday 20:00 local (not Saturday).
    expect((await db.schedule.findUniqueOrThrow({ where: { id: off.id } })).nextRunAt?.toISOString()).toBe("2026-12-07T23:00:00.000Z");

    // Monday 07:00 local: the machines come back, once.
    await tick("2026-12-07T10:00:05.000Z", 4);
    await allMachinesIn(db, machineIds, ["RUNNING"]);
    await tick("2026-12-07T10:00:40.000Z", 2);
    await waitFor("no scheduler job left", async () => (await db.$queryRaw<{ n: number }[]>`select count(*)::int as n from graphile_worker.jobs where task_identifier = ${SCHEDULER_TASK}`)[0].n === 0);
    expect(await db.operation.count({ where: { kind: "START", machineId: { in: machineIds } } })).toBe(3);
    expect(await db.scheduledFiring.count({ where: { source: `schedule:${on.id}` } })).toBe(1);

    // Workers down through Monday evening: 20:00 is missed by three hours and not fired late.
    await tick("2026-12-08T02:00:00.000Z");
    await waitFor("the missed firing", async () => db.scheduledFiring.findUnique({ where: { source_occurrence: { source: `schedule:${off.id}`, occurrence: new Date("2026-12-07T23:00:00Z") } } }));
    expect((await db.scheduledFiring.findUniqueOrThrow({ where: { source_occurrence: { source: `schedule:${off.id}`, occurrence: new Date("2026-12-07T23:00:00Z") } } })).outcome).toBe("MISSED");
    expect(await db.operation.count({ where: { kind: "STOP", machineId: { in: machineIds } } })).toBe(3);
    expect((await db.schedule.findUniqueOrThrow({ where: { id: off.id } })).nextRunAt?.toISOString()).toBe("2026-12-08T23:00:00.000Z");
    // Each firing is audited.
    expect(await db.auditEvent.count({ where: { action: "schedule.run", projectId: e.projectId } })).toBe(2);
    await worker.stop();
  });
});

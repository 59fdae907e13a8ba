// A worker SIGKILLed in the middle of a scaling decision (the decision row and the new
// machine's request written, the transaction not committed), then another worker: the round is
// decided exactly once — one decision row, one new machine, one request, the quota counted once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import pino from "pino";
import { createTestDatabase, type TestDatabase } from "../db";
import type { Db } from "../../lib/db/client";
import { ctxFor } from "../factories";
import { DEFAULT_RETRY_POLICY } from "../../lib/orchestration/backoff";
import { drainMachine } from "../../lib/orchestration/run-operation";
import { sampleMetrics } from "../../lib/monitoring/sample-metrics";
import { evaluateScalingGroup, SCALING_TASK } from "../../lib/scaling/evaluate-scaling";
import { createScalingGroup } from "../../lib/scaling/manage-groups";
import { createScalingGroupSchema } from "../../lib/scaling/schemas";
import { allMachinesIn, makeEstate, spawnWorker, stopAllWorkers, waitFor } from "./harness";

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

describe("worker killed during a scaling decision", () => {
  it("decides the round once after a restart: no double scale-out", { timeout: 120_000 }, async () => {
    const e = await makeEstate(db);
    await db.provider.update({ where: { id: e.providerId }, data: { config: { latencyMs: 0, loadProfile: "constant", loadPercent: 95 } } });
    const ctx = await ctxFor(db, e.approverId);
    const g = await createScalingGroup(
      ctx,
      createScalingGroupSchema.parse({ projectId: e.projectId, name: "crash", offeringId: e.offeringId, templateId: e.templateId, minSize: 1, maxSize: 5, desired: 1, targetCpuPercent: 60, scaleOutCooldownSeconds: 0 }),
    );
    // The first member, in process (no worker yet): created and running.
    const T = Date.now();
    await evaluateScalingGroup(db, g.id, new Date(T));
    const [first] = await db.machine.findMany({ where: { scalingGroupId: g.id }, select: { id: true } });
    await drainMachine({ db, now: () => new Date(), retry: DEFAULT_RETRY_POLICY, log: pino({ level: "silent" }) }, first.id);
    await allMachinesIn(db, [first.id], ["RUNNING"]);
    // A hot sample round to judge.
    const at = new Date(T + 60_000);
    await sampleMetrics(db, { now: at, providerId: e.providerId });
    // The create verb queued an evaluation job already; this one judges the hot round.
    await db.$executeRaw`select graphile_worker.add_job(${SCALING_TASK}::text, ${JSON.stringify({ groupId: g.id, now: at.toISOString() })}::json, job_key => ${`scaling:${g.id}`}::text)`;

    // The first worker stops inside the decision's transaction; it is killed right there.
    const doomed = await spawnWorker(t.url, { ORQ_TEST_SCALING_HOLD_MS: "60000" });
    await waitFor("the decision to be held", async () => fs.readFileSync(doomed.logFile, "utf8").includes("scaling decision held"), { everyMs: 50 });
    await doomed.kill();
    // Nothing of the killed decision survived.
    expect(await db.scalingDecision.count({ where: { groupId: g.id } })).toBe(1);
    expect(await db.machine.count({ where: { scalingGroupId: g.id } })).toBe(1);

    // Another worker takes the job over (heartbeat recovery) and decides the round.
    await spawnWorker(t.url);
    const decision = await waitFor("the round to be decided", () => db.scalingDecision.findFirst({ where: { groupId: g.id, outcome: "SCALED_OUT", metricValue: { not: null } } }));
    expect(decision).toMatchObject({ desiredBefore: 1, desiredAfter: 2, metricValue: 95 });
    expect(decision.windowEnd.toISOString()).toBe(at.toISOString());
    const ids = (await db.machine.findMany({ where: { scalingGroupId: g.id }, select: { id: true } })).map((m) => m.id);
    expect(ids).toHaveLength(2);
    await allMachinesIn(db, ids, ["RUNNING"]);

    // The same round again changes nothing.
    expect(await evaluateScalingGroup(db, g.id, at)).toBeNull();
    expect(await db.scalingDecision.count({ where: { groupId: g.id } })).toBe(2);
    expect(await db.request.count({ where: { projectId: e.projectId } })).toBe(2);
    expect((await db.project.findUniqueOrThrow({ where: { id: e.projectId } })).usedMachines).toBe(2);
    expect((await db.scalingGroup.findUniqueOrThrow({ where: { id: g.id } })).desired).toBe(2);
  });
});

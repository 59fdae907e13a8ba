// Scaling groups on the simulator against real PostgreSQL, with a controllable clock: the group
// grows under the load profile (one step per round, after the cooldown, never above max),
// shrinks after the scale-in cooldown when the load goes, records a quota refusal as a decision,
// decides a round once (repeated and concurrent evaluations), and its verbs check their input.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { ctxFor, makeUser, addMember } from "@/test/factories";
import { makeEstate, type Estate } from "@/test/orchestration/harness";
import type { Db } from "@/lib/db/client";
import { drainMachine } from "@/lib/orchestration/run-operation";
import { DEFAULT_RETRY_POLICY } from "@/lib/orchestration/backoff";
import { sampleMetrics } from "@/lib/monitoring/sample-metrics";
import { evaluateScalingGroup } from "./evaluate-scaling";
import { createScalingGroup, deleteScalingGroup, updateScalingGroup } from "./manage-groups";
import { getScalingGroup, listScalingGroups } from "./read-groups";
import { createScalingGroupSchema } from "./schemas";

let t: TestDatabase;
let db: Db;
beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
});
afterAll(async () => {
  await t?.drop();
});

const MIN = 60_000;
const deps = () => ({ db, now: () => new Date(), retry: { ...DEFAULT_RETRY_POLICY, baseMs: 10, maxMs: 50 }, log: pino({ level: "silent" }) });

async function load(e: Estate, percent: number | "idle") {
  await db.provider.update({
    where: { id: e.providerId },
    data: { config: percent === "idle" ? { latencyMs: 0, loadProfile: "idle" } : { latencyMs: 0, loadProfile: "constant", loadPercent: percent } },
  });
}

async function members(groupId: string) {
  return db.machine.findMany({ where: { scalingGroupId: groupId, deletedAt: null, state: { not: "DELETED" } }, select: { id: true, name: true, state: true } });
}

/** Runs every queued operation of the group's machines (the worker's part, in process). */
async function settle(groupId: string) {
  const ms = await db.machine.findMany({ where: { scalingGroupId: groupId }, select: { id: true } });
  for (const m of ms) await drainMachine(deps(), m.id);
}

/** One metrics round as the worker runs it: sample the provider, then evaluate the group. */
async function round(e: Estate, groupId: string, at: Date) {
  await sampleMetrics(db, { now: at, providerId: e.providerId });
  const d = await evaluateScalingGroup(db, groupId, at);
  await settle(groupId);
  return d;
}

async function makeGroup(e: Estate, over: Partial<Parameters<typeof createScalingGroup>[1]> = {}) {
  const ctx = await ctxFor(db, e.approverId);
  const input = createScalingGroupSchema.parse({
    projectId: e.projectId,
    name: `g${Math.random().toString(36).slice(2, 8)}`,
    offeringId: e.offeringId,
    templateId: e.templateId,
    minSize: 1,
    maxSize: 3,
    desired: 1,
    targetCpuPercent: 60,
    scaleOutCooldownSeconds: 60,
    scaleInCooldownSeconds: 120,
    windowSeconds: 60,
    ...over,
  });
  return createScalingGroup(ctx, input);
}

describe("a scaling group on the simulator", () => {
  it("grows under load one step per round up to max, then shrinks after the cooldown down to min", async () => {
    const e = await makeEstate(db);
    await load(e, 90);
    const g = await makeGroup(e);
    const T = Date.now();
    const at = (k: number) => new Date(T + k * MIN);

    // Round 0: no member yet: the group creates its first machine (auto-approved request).
    const d0 = await evaluateScalingGroup(db, g.id, at(0));
    expect(d0).toMatchObject({ outcome: "SCALED_OUT", desiredBefore: 1, desiredAfter: 1, created: 1, metricValue: null });
    await settle(g.id);
    const first = await members(g.id);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ state: "RUNNING", name: `${g.name}-1` });
    const req = await db.request.findFirstOrThrow({ where: { projectId: e.projectId } });
    expect(req).toMatchObject({ status: "FULFILLED", autoApproved: true, quantity: 1 });

    // Round 1: CPU 90 % > 60 %: +1.
    const d1 = await round(e, g.id, at(1));
    expect(d1).toMatchObject({ outcome: "SCALED_OUT", desiredBefore: 1, desiredAfter: 2, metricValue: 90 });
    // Round 2: the cooldown (60 s) is over: +1 → 3 (max).
    const d2 = await round(e, g.id, at(2));
    expect(d2).toMatchObject({ outcome: "SCALED_OUT", desiredAfter: 3 });
    // Round 3: still hot, but at the maximum.
    const d3 = await round(e, g.id, at(3));
    expect(d3).toMatchObject({ outcome: "HOLD", desiredAfter: 3 });
    expect(d3!.reason).toContain("maximum");
    expect((await members(g.id)).map((m) => m.state)).toEqual(["RUNNING", "RUNNING", "RUNNING"]);

    // The load goes. Round 4: 120 s since the last scaling: -1, the newest member goes.
    await load(e, "idle");
    const d4 = await round(e, g.id, at(4));
    expect(d4).toMatchObject({ outcome: "SCALED_IN", desiredBefore: 3, desiredAfter: 2, metricValue: 5, deleted: 1 });
    expect((await members(g.id)).map((m) => m.name).sort()).toEqual([`${g.name}-1`, `${g.name}-2`]);
    // Round 5: scale-in cooldown (120 s) not over.
    const d5 = await round(e, g.id, at(5));
    expect(d5).toMatchObject({ outcome: "HOLD", desiredAfter: 2 });
    expect(d5!.reason).toContain("cooldown");
    // Round 6: -1 → 1 (min); round 8: at the minimum.
    expect(await round(e, g.id, at(6))).toMatchObject({ outcome: "SCALED_IN", desiredAfter: 1 });
    expect(await round(e, g.id, at(8))).toMatchObject({ outcome: "HOLD", desiredAfter: 1 });
    expect(await members(g.id)).toHaveLength(1);

    // Every round is one decision row; the desired count never left [min, max].
    const rows = await db.scalingDecision.findMany({ where: { groupId: g.id }, orderBy: { windowEnd: "asc" } });
    expect(rows.map((r) => r.outcome)).toEqual(["SCALED_OUT", "SCALED_OUT", "SCALED_OUT", "HOLD", "SCALED_IN", "HOLD", "SCALED_IN", "HOLD"]);
    expect(rows.every((r) => r.desiredAfter >= 1 && r.desiredAfter <= 3 && r.actual <= 3)).toBe(true);
    // "Actual" is the members once the decision acted: in step with desired, not one round behind.
    expect(rows.map((r) => r.actual)).toEqual([1, 2, 3, 3, 2, 2, 1, 1]);
    expect(rows.map((r) => r.running)).toEqual([0, 1, 2, 3, 3, 2, 2, 1]);
    // Quota given back: the project holds exactly its one remaining machine.
    expect((await db.project.findUniqueOrThrow({ where: { id: e.projectId } })).usedMachines).toBe(1);

    // The page shows it all.
    const page = await getScalingGroup(await ctxFor(db, e.approverId), { groupId: g.id });
    expect(page.members).toHaveLength(1);
    expect(page.decisions.map((d) => d.outcome)).toEqual(["SCALED_IN", "SCALED_IN", "SCALED_OUT", "SCALED_OUT", "SCALED_OUT"]);
    expect(page.series).toHaveLength(8);
  });

  it("a scale-out the quota refuses is a recorded decision, and the group never exceeds the quota", async () => {
    const e = await makeEstate(db, { quota: { quotaVcpu: 100, quotaMemoryMb: 1_000_000, quotaMachines: 2, quotaDiskSsdGb: 10_000 } });
    await load(e, 95);
    const g = await makeGroup(e, { maxSize: 5, scaleOutCooldownSeconds: 0 });
    const T = Date.now();
    await evaluateScalingGroup(db, g.id, new Date(T));
    await settle(g.id);
    expect(await round(e, g.id, new Date(T + MIN))).toMatchObject({ outcome: "SCALED_OUT", desiredAfter: 2 });
    const refused = await round(e, g.id, new Date(T + 2 * MIN));
    expect(refused).toMatchObject({ outcome: "QUOTA_REFUSED", desiredBefore: 2, desiredAfter: 2, created: 0 });
    expect(refused!.reason).toContain("quota refused 1 machine(s) (machines)");
    const row = await db.scalingDecision.findFirstOrThrow({ where: { groupId: g.id, outcome: "QUOTA_REFUSED" } });
    expect(row.detail).toMatchObject({ refused: ["machines"] });
    expect(await members(g.id)).toHaveLength(2);
    expect((await db.project.findUniqueOrThrow({ where: { id: e.projectId } })).usedMachines).toBe(2);
    // Audited as such.
    expect(await db.auditEvent.count({ where: { targetId: g.id, action: "scalingGroup.quota_refused" } })).toBe(1);
  });

  it("decides a round once: again, and concurrently, it is a no-op", async () => {
    const e = await makeEstate(db);
    await load(e, 90);
    const g = await makeGroup(e, { scaleOutCooldownSeconds: 0 });
    const T = Date.now();
    await evaluateScalingGroup(db, g.id, new Date(T));
    await settle(g.id);
    const at = new Date(T + MIN);
    await sampleMetrics(db, { now: at, providerId: e.providerId });
    const results = await Promise.all([0, 1, 2, 3].map(() => evaluateScalingGroup(db, g.id, at)));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await evaluateScalingGroup(db, g.id, new Date(at.getTime() + 5000))).toBeNull();
    expect(await db.scalingDecision.count({ where: { groupId: g.id } })).toBe(2);
    expect(await db.machine.count({ where: { scalingGroupId: g.id } })).toBe(2);
  });

  it("replaces a failed member (deleting it first) and keeps the desired count", async () => {
    const e = await makeEstate(db);
    await load(e, 50);
    const g = await makeGroup(e, { desired: 2, minSize: 2 });
    const T = Date.now();
    await evaluateScalingGroup(db, g.id, new Date(T));
    await settle(g.id);
    const [a] = await members(g.id);
    await db.machine.update({ where: { id: a.id }, data: { state: "FAILED", version: { increment: 1 } } });
    const d = await round(e, g.id, new Date(T + MIN));
    expect(d).toMatchObject({ outcome: "SCALED_OUT", created: 1, deleted: 1, desiredAfter: 2 });
    const now = await members(g.id);
    expect(now).toHaveLength(2);
    expect(now.some((m) => m.id === a.id)).toBe(false);
  });
});

describe("scaling group verbs", () => {
  it("only approvers create groups; bad input and a desired count over quota are refused", async () => {
    const e = await makeEstate(db, { quota: { quotaVcpu: 100, quotaMemoryMb: 1_000_000, quotaMachines: 1, quotaDiskSsdGb: 10_000 } });
    const member = await makeUser(db);
    await addMember(db, e.projectId, member.id, "MEMBER");
    const base = { projectId: e.projectId, name: "web", offeringId: e.offeringId, templateId: e.templateId, minSize: 1, maxSize: 3, desired: 1, targetCpuPercent: 60 };
    await expect(createScalingGroup(await ctxFor(db, member.id), createScalingGroupSchema.parse(base))).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(createScalingGroupSchema.safeParse({ ...base, minSize: 4 }).success).toBe(false);
    expect(createScalingGroupSchema.safeParse({ ...base, desired: 5 }).success).toBe(false);
    expect(createScalingGroupSchema.safeParse({ ...base, name: "Web Servers" }).success).toBe(false);
    const admin = await ctxFor(db, e.approverId);
    await expect(createScalingGroup(admin, createScalingGroupSchema.parse({ ...base, minSize: 2, desired: 2 }))).rejects.toMatchObject({ code: "QUOTA_EXCEEDED" });
    const ok = await createScalingGroup(admin, createScalingGroupSchema.parse(base));
    await expect(createScalingGroup(admin, createScalingGroupSchema.parse(base))).rejects.toMatchObject({ code: "VALIDATION" });
    // Members see it; they cannot edit it.
    const list = await listScalingGroups(await ctxFor(db, member.id), { projectId: e.projectId });
    expect(list.items.map((i) => i.id)).toEqual([ok.id]);
    await expect(updateScalingGroup(await ctxFor(db, member.id), { groupId: ok.id, minSize: 1, maxSize: 2, targetCpuPercent: 50, scaleOutCooldownSeconds: 60, scaleInCooldownSeconds: 60, stepSize: 1, windowSeconds: 60 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    // An outsider does not see it at all.
    const outsider = await makeUser(db);
    await expect(getScalingGroup(await ctxFor(db, outsider.id), { groupId: ok.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("an edit moves desired into the new bounds; delete needs the name and takes the machines", async () => {
    const e = await makeEstate(db);
    await load(e, 50);
    const g = await makeGroup(e, { desired: 3, minSize: 1, maxSize: 3 });
    await evaluateScalingGroup(db, g.id, new Date());
    await settle(g.id);
    expect(await members(g.id)).toHaveLength(3);
    const ctx = await ctxFor(db, e.approverId);
    const r = await updateScalingGroup(ctx, { groupId: g.id, minSize: 1, maxSize: 2, targetCpuPercent: 70, scaleOutCooldownSeconds: 60, scaleInCooldownSeconds: 60, stepSize: 1, windowSeconds: 60 });
    expect(r.desired).toBe(2);
    // Converged at once (the worker's job after an edit), not at the next sampling round.
    const d = await evaluateScalingGroup(db, g.id, new Date(Date.now() + 1000));
    expect(d).toMatchObject({ outcome: "SCALED_IN", desiredAfter: 2, deleted: 1 });
    expect(await evaluateScalingGroup(db, g.id, new Date(Date.now() + 2000))).toBeNull();
    await settle(g.id);
    await expect(deleteScalingGroup(ctx, { groupId: g.id, confirmName: "nope" })).rejects.toMatchObject({ code: "VALIDATION" });
    const del = await deleteScalingGroup(ctx, { groupId: g.id, confirmName: g.name });
    expect(del.deletedMachines).toBe(2);
    await settle(g.id);
    expect(await members(g.id)).toHaveLength(0);
    expect((await db.project.findUniqueOrThrow({ where: { id: e.projectId } })).usedMachines).toBe(0);
    // A deleted group is not evaluated any more.
    expect(await evaluateScalingGroup(db, g.id, new Date(Date.now() + 10 * MIN))).toBeNull();
  });
});

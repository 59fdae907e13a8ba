// The workload reconcile against a real PostgreSQL and the simulator's workload engine:
// replicas removed or a whole workload deleted behind the portal's back are healed by a SCALE
// to the workload's own count (quota untouched), two reconciles at once heal once, the
// flapping guard pauses healing and says why, a provider that cannot answer changes nothing,
// and an engine with its own controller is only observed. The real-Docker version of the
// same fault is test/conformance/workload-heal-docker.test.ts.
import { randomBytes } from "node:crypto";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeOffering, makeProject, makeUser } from "../../test/factories";
import { makeProvider } from "../../test/machine-factories";
import type { Db } from "../db/client";
import { DRIVERS, type DriverRegistry } from "../drivers/registry";
import { drainWorkload, type WorkloadEngineDeps } from "./engine";
import { requestWorkload } from "./request-workload";
import { HEAL_LIMIT, reconcileWorkloads, driftOf } from "./reconcile-workloads";

process.env.ORQ_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");

let t: TestDatabase;
let db: Db;
let deps: WorkloadEngineDeps;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  deps = { db, now: () => new Date(), retry: { baseMs: 1, maxMs: 5, maxAttempts: 3, jitter: 0 }, log: pino({ level: "silent" }) };
});
afterAll(async () => {
  await t?.drop();
});

async function settle(workloadId: string) {
  for (let i = 0; i < 20; i++) {
    await drainWorkload(deps, workloadId);
    const open = await db.workloadOperation.findFirst({ where: { workloadId, status: { in: ["QUEUED", "RUNNING"] } } });
    if (!open) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("workload operations did not settle");
}

/** A project with a 3-replica workload RUNNING on its own simulator provider. */
async function running(replicas = 3) {
  const owner = await makeUser(db);
  const project = await makeProject(db, {});
  await addMember(db, project.id, owner.id, "MEMBER");
  const provider = await makeProvider(db, { kind: "SIMULATOR" });
  await db.projectProvider.create({ data: { projectId: project.id, providerId: provider.id } });
  const offering = await makeOffering(db, { vcpu: 1, memoryMb: 256, monthlyPriceCents: 500 });
  const ctx = await ctxFor(db, owner.id);
  const r = await requestWorkload(ctx, { projectId: project.id, name: "api", image: "localhost/busybox:latest", replicas, offeringId: offering.id, ports: [], env: {}, secrets: {} });
  await settle(r.workloadId);
  expect((await db.workload.findUniqueOrThrow({ where: { id: r.workloadId } })).state).toBe("RUNNING");
  return { workloadId: r.workloadId, providerId: provider.id, projectId: project.id };
}

const sim = (providerId: string, workloadId: string) => db.simWorkload.findUniqueOrThrow({ where: { providerId_workloadId: { providerId, workloadId } } });
const usage = (projectId: string) => db.project.findUniqueOrThrow({ where: { id: projectId }, select: { usedVcpu: true, usedMemoryMb: true, usedMonthlyCents: true } });
const reconcile = (providerId: string, extra: { registry?: DriverRegistry; statusTimeoutMs?: number } = {}) =>
  reconcileWorkloads({ db, now: () => new Date(), ...extra }, { providerId });

describe("workload reconcile", () => {
  it("says what is wrong in plain words", () => {
    const rep = (name: string, state: "RUNNING" | "STOPPED") => ({ ref: name, name, image: "i", state, healthy: null });
    const s = (replicas: ReturnType<typeof rep>[]) => ({ ref: "w", desired: replicas.length, running: replicas.filter((r) => r.state === "RUNNING").length, ready: 0, updated: 0, image: "i", replicas });
    expect(driftOf(3, null)).toBe("none of its 3 replicas exist on the provider");
    expect(driftOf(0, null)).toBeNull();
    expect(driftOf(2, s([rep("a-1", "RUNNING"), rep("a-2", "RUNNING")]))).toBeNull();
    expect(driftOf(3, s([rep("a-1", "RUNNING"), rep("a-2", "STOPPED")]))).toBe("1 of 3 replicas missing; a-2 stopped");
    expect(driftOf(1, s([rep("a-1", "RUNNING"), rep("a-2", "RUNNING")]))).toBe("1 replicas more than the 1 asked");
  });

  it("heals replicas removed behind the portal's back, once even when two reconciles race, with the quota untouched", async () => {
    const w = await running(3);
    const before = await usage(w.projectId);
    expect(await reconcile(w.providerId)).toMatchObject({ checked: 1, healthy: 1, healed: 0 });

    // Out of band: two of the three replicas go.
    await db.simWorkload.update({ where: { providerId_workloadId: { providerId: w.providerId, workloadId: w.workloadId } }, data: { replicas: 1 } });
    const [a, b] = await Promise.all([reconcile(w.providerId), reconcile(w.providerId)]);
    expect(a.healed + b.healed).toBe(1);
    const row = await db.workload.findUniqueOrThrow({ where: { id: w.workloadId } });
    expect(row.state).toBe("UPDATING");
    expect(row.observed).toMatchObject({ running: 1 });
    const heal = await db.workloadOperation.findFirstOrThrow({ where: { workloadId: w.workloadId, kind: "SCALE" } });
    expect(heal.requestedById).toBeNull();
    expect(heal.params).toMatchObject({ replicas: 3, previousReplicas: 3, heal: true, reason: "2 of 3 replicas missing" });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { targetId: w.workloadId, action: "workload.drift" } });
    expect(audit.actorEmail).toBe("system");
    expect(audit.after).toMatchObject({ drift: "2 of 3 replicas missing", healing: true, operationId: heal.id });

    await settle(w.workloadId);
    expect((await sim(w.providerId, w.workloadId)).replicas).toBe(3);
    expect(await db.workload.findUniqueOrThrow({ where: { id: w.workloadId } })).toMatchObject({ state: "RUNNING", replicas: 3, reservedReplicas: 3 });
    expect(await usage(w.projectId)).toEqual(before);
    expect(await reconcile(w.providerId)).toMatchObject({ checked: 1, healthy: 1, healed: 0 });
    expect(await db.auditEvent.count({ where: { targetId: w.workloadId, action: "workload.drift" } })).toBe(1);
  });

  it("recreates a workload deleted entirely on its provider", async () => {
    const w = await running(2);
    await db.simWorkload.delete({ where: { providerId_workloadId: { providerId: w.providerId, workloadId: w.workloadId } } });
    expect(await reconcile(w.providerId)).toMatchObject({ healed: 1 });
    expect((await db.auditEvent.findFirstOrThrow({ where: { targetId: w.workloadId, action: "workload.drift" } })).after).toMatchObject({ drift: "none of its 2 replicas exist on the provider" });
    await settle(w.workloadId);
    expect((await sim(w.providerId, w.workloadId)).replicas).toBe(2);
  });

  it(`pauses healing after ${HEAL_LIMIT} heals within an hour, says why once, and clears it when the workload is whole again`, async () => {
    const w = await running(2);
    const breakIt = () => db.simWorkload.update({ where: { providerId_workloadId: { providerId: w.providerId, workloadId: w.workloadId } }, data: { replicas: 0 } });
    for (let i = 0; i < HEAL_LIMIT; i++) {
      await breakIt();
      expect(await reconcile(w.providerId)).toMatchObject({ healed: 1 });
      await settle(w.workloadId);
    }
    await breakIt();
    expect(await reconcile(w.providerId)).toMatchObject({ healed: 0, paused: 1 });
    expect(await reconcile(w.providerId)).toMatchObject({ healed: 0, paused: 1 });
    const row = await db.workload.findUniqueOrThrow({ where: { id: w.workloadId } });
    expect(row).toMatchObject({ state: "RUNNING", failureCode: "HEAL_PAUSED" });
    expect(row.failureReason).toMatch(/^Healing paused after 3 heals within an hour: /);
    expect(await db.auditEvent.count({ where: { targetId: w.workloadId, action: "workload.heal_paused" } })).toBe(1);
    expect(await db.workloadOperation.count({ where: { workloadId: w.workloadId, kind: "SCALE" } })).toBe(HEAL_LIMIT);

    // Someone puts it right by hand: the reason goes at the next look.
    await db.simWorkload.update({ where: { providerId_workloadId: { providerId: w.providerId, workloadId: w.workloadId } }, data: { replicas: 2 } });
    expect(await reconcile(w.providerId)).toMatchObject({ healthy: 1 });
    expect(await db.workload.findUniqueOrThrow({ where: { id: w.workloadId } })).toMatchObject({ failureCode: null, failureReason: null });
  });

  it("changes nothing when the provider cannot answer (a hung status call times out)", async () => {
    const w = await running(2);
    await db.simWorkload.update({ where: { providerId_workloadId: { providerId: w.providerId, workloadId: w.workloadId } }, data: { replicas: 0 } });
    const fault = await db.simFault.create({ data: { providerId: w.providerId, operation: "workloadStatus", mode: "HANG" } });
    const before = await db.workload.findUniqueOrThrow({ where: { id: w.workloadId } });
    expect(await reconcile(w.providerId, { statusTimeoutMs: 300 })).toMatchObject({ checked: 0, failed: 1, healed: 0 });
    expect(await db.workload.findUniqueOrThrow({ where: { id: w.workloadId } })).toMatchObject({ state: "RUNNING", version: before.version, observedAt: before.observedAt });
    expect(await db.workloadOperation.count({ where: { workloadId: w.workloadId, kind: "SCALE" } })).toBe(0);
    await db.simFault.delete({ where: { id: fault.id } });
    expect(await reconcile(w.providerId)).toMatchObject({ healed: 1 });
  });

  it("only observes an engine that heals itself", async () => {
    const w = await running(2);
    await db.simWorkload.update({ where: { providerId_workloadId: { providerId: w.providerId, workloadId: w.workloadId } }, data: { replicas: 1 } });
    // The simulator's engine, declared self-healing (as the Kubernetes engine is).
    const create = DRIVERS.SIMULATOR.create!;
    const registry = {
      ...DRIVERS,
      SIMULATOR: {
        ...DRIVERS.SIMULATOR,
        create: async (...args: Parameters<typeof create>) => {
          const d = await create(...args);
          Object.defineProperty(d.workloads!, "selfHealing", { value: true });
          return d;
        },
      },
    } as DriverRegistry;
    expect(await reconcile(w.providerId, { registry })).toMatchObject({ checked: 1, observedOnly: 1, healed: 0 });
    const row = await db.workload.findUniqueOrThrow({ where: { id: w.workloadId } });
    expect(row.state).toBe("RUNNING");
    expect(row.observed).toMatchObject({ running: 1 });
    expect(await db.workloadOperation.count({ where: { workloadId: w.workloadId, kind: "SCALE" } })).toBe(0);
  });
});

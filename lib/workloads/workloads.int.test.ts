// Container workloads end to end on the simulator's workload engine, against a real
// PostgreSQL: request (quota reserved exactly), deploy, scale up and down, roll out, restart,
// logs, delete, and the faults: a retryable provider error, a permanent one after a side
// effect (reservation released, leftovers cleaned up by ownership label), a failed scale up
// (its extra replicas given back), the quota refusing, permissions. The engine is driven the
// way the worker drives it (drainWorkload), in this process.
import { randomBytes } from "node:crypto";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeOffering, makeProject, makeUser } from "../../test/factories";
import { makeProvider } from "../../test/machine-factories";
import type { Db } from "../db/client";
import { drainWorkload, type WorkloadEngineDeps } from "./engine";
import { requestWorkload } from "./request-workload";
import { deleteWorkload, restartWorkload, rolloutWorkload, scaleWorkload } from "./operate-workload";
import { getWorkload, listWorkloads } from "./get-workload";
import { workloadLogs } from "./workload-logs";
import { reconcileCounters } from "../orchestration/reconcile-counters";

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

async function estate(quota: Partial<{ quotaVcpu: number; quotaMemoryMb: number }> = {}) {
  const owner = await makeUser(db);
  const project = await makeProject(db, quota);
  await addMember(db, project.id, owner.id, "MEMBER");
  const provider = await makeProvider(db, { kind: "SIMULATOR" });
  await db.projectProvider.create({ data: { projectId: project.id, providerId: provider.id } });
  const offering = await makeOffering(db, { vcpu: 1, memoryMb: 512, monthlyPriceCents: 1000 });
  return { owner, project, provider, offering, ctx: await ctxFor(db, owner.id) };
}

const usage = async (projectId: string) =>
  db.project.findUniqueOrThrow({ where: { id: projectId }, select: { usedVcpu: true, usedMemoryMb: true, usedMonthlyCents: true, usedMachines: true } });

/** Runs the workload's job until no operation is ready (retries included). */
async function settle(workloadId: string) {
  for (let i = 0; i < 20; i++) {
    await drainWorkload(deps, workloadId);
    const open = await db.workloadOperation.findFirst({ where: { workloadId, status: { in: ["QUEUED", "RUNNING"] } } });
    if (!open) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("workload operations did not settle");
}

describe("container workloads on the simulator", () => {
  it("deploys 3 replicas with the quota reserved exactly, scales, rolls out, restarts, reads logs and deletes", async () => {
    const e = await estate();
    const r = await requestWorkload(e.ctx, {
      projectId: e.project.id,
      name: "web",
      image: "localhost/busybox:latest",
      replicas: 3,
      offeringId: e.offering.id,
      ports: [{ containerPort: 8080, protocol: "TCP" }],
      env: { MODE: "demo" },
      secrets: { API_TOKEN: "s3cr3t-value" },
    });
    expect(r.state).toBe("DEPLOYING");
    expect(await usage(e.project.id)).toEqual({ usedVcpu: 3, usedMemoryMb: 1536, usedMonthlyCents: 3000, usedMachines: 0 });
    const row = await db.workload.findUniqueOrThrow({ where: { id: r.workloadId } });
    expect(row.secretsEnc).toBeTruthy();
    expect(row.secretsEnc).not.toContain("s3cr3t");
    expect(row.labels).toMatchObject({ "orquestra.workload-id": r.workloadId });

    await settle(r.workloadId);
    let v = await getWorkload(e.ctx, { workloadId: r.workloadId });
    expect(v.state).toBe("RUNNING");
    expect(v.running).toBe(3);
    expect(v.secretNames).toEqual(["API_TOKEN"]);
    expect(v.actions).toEqual(["SCALE", "ROLLOUT", "RESTART", "DELETE"]);

    // Scale up: the extra replicas are reserved at request time.
    await scaleWorkload(e.ctx, { workloadId: r.workloadId, replicas: 5 });
    expect((await usage(e.project.id)).usedVcpu).toBe(5);
    await expect(scaleWorkload(e.ctx, { workloadId: r.workloadId, replicas: 2 })).rejects.toMatchObject({ code: "CONFLICT" });
    await settle(r.workloadId);
    expect((await getWorkload(e.ctx, { workloadId: r.workloadId })).running).toBe(5);
    // Scale down: given back once the replicas are gone.
    await scaleWorkload(e.ctx, { workloadId: r.workloadId, replicas: 1 });
    expect((await usage(e.project.id)).usedVcpu).toBe(5);
    await settle(r.workloadId);
    expect(await usage(e.project.id)).toEqual({ usedVcpu: 1, usedMemoryMb: 512, usedMonthlyCents: 1000, usedMachines: 0 });

    await rolloutWorkload(e.ctx, { workloadId: r.workloadId, image: "localhost/busybox:v2" });
    await settle(r.workloadId);
    v = await getWorkload(e.ctx, { workloadId: r.workloadId });
    expect(v.observedReplicas.map((x) => x.image)).toEqual(["localhost/busybox:v2"]);
    await restartWorkload(e.ctx, { workloadId: r.workloadId });
    await settle(r.workloadId);
    const logs = await workloadLogs(e.ctx, { workloadId: r.workloadId, tail: 50 });
    expect(logs.lines.some((l) => l.line.includes("replaced localhost/busybox:latest with localhost/busybox:v2"))).toBe(true);
    expect((await reconcileCounters(db, { repair: false, trigger: "test", correlationId: "t" })).drift).toEqual([]);

    await expect(deleteWorkload(e.ctx, { workloadId: r.workloadId, confirmName: "nope" })).rejects.toMatchObject({ code: "VALIDATION" });
    await deleteWorkload(e.ctx, { workloadId: r.workloadId, confirmName: "web" });
    await settle(r.workloadId);
    expect((await db.workload.findUniqueOrThrow({ where: { id: r.workloadId } })).state).toBe("DELETED");
    expect(await usage(e.project.id)).toEqual({ usedVcpu: 0, usedMemoryMb: 0, usedMonthlyCents: 0, usedMachines: 0 });
    expect(await db.simWorkload.count({ where: { workloadId: r.workloadId } })).toBe(0);
    const audit = await db.auditEvent.findMany({ where: { targetId: r.workloadId }, orderBy: { at: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["workload.request", "workload.scale", "workload.scale", "workload.rollout", "workload.restart", "workload.delete"]);
    expect(JSON.stringify(audit.map((a) => [a.before, a.after]))).not.toContain("s3cr3t");
    expect((await listWorkloads(e.ctx, {})).items.map((w) => w.id)).not.toContain(r.workloadId);
  });

  it("refuses a request over quota and writes nothing", async () => {
    const e = await estate({ quotaVcpu: 2 });
    await expect(requestWorkload(e.ctx, { projectId: e.project.id, name: "big", image: "localhost/busybox:latest", replicas: 3, offeringId: e.offering.id })).rejects.toMatchObject({
      code: "QUOTA_EXCEEDED",
      details: { resources: ["vcpu"] },
    });
    expect(await db.workload.count({ where: { projectId: e.project.id } })).toBe(0);
    expect((await usage(e.project.id)).usedVcpu).toBe(0);
  });

  it("rejects bad input", async () => {
    const e = await estate();
    const base = { projectId: e.project.id, name: "ok", image: "localhost/busybox:latest", replicas: 1, offeringId: e.offering.id };
    for (const bad of [{ name: "Bad Name" }, { image: "busybox; rm -rf /" }, { replicas: 0 }, { replicas: 1000 }, { env: { "1X": "a" } }, { ports: [{ containerPort: 70000 }] }]) {
      await expect(requestWorkload(e.ctx, { ...base, ...bad } as never)).rejects.toThrow();
    }
    // Autoscaling is a Kubernetes feature: refused on the simulator.
    await expect(requestWorkload(e.ctx, { ...base, autoscaling: { minReplicas: 1, maxReplicas: 3, cpuPercent: 70 } })).rejects.toMatchObject({ code: "VALIDATION" });
    expect(await db.workload.count({ where: { projectId: e.project.id } })).toBe(0);
  });

  it("retries a transient provider error, and gives everything back when a deploy fails after its side effect", async () => {
    const e = await estate();
    await db.simFault.create({ data: { providerId: e.provider.id, operation: "workloadApply", mode: "TRANSIENT", remaining: 1, message: "engine busy" } });
    const ok = await requestWorkload(e.ctx, { projectId: e.project.id, name: "retry", image: "localhost/busybox:latest", replicas: 2, offeringId: e.offering.id });
    await settle(ok.workloadId);
    const op = await db.workloadOperation.findFirstOrThrow({ where: { workloadId: ok.workloadId, kind: "DEPLOY" } });
    expect(op).toMatchObject({ status: "SUCCEEDED", attempts: 2 });
    expect(await db.simWorkload.count({ where: { workloadId: ok.workloadId } })).toBe(1);

    // Created on the provider, then the call fails for good: FAILED, quota back, leftovers removed.
    await db.simFault.create({ data: { providerId: e.provider.id, operation: "workloadApply", mode: "AFTER_PERMANENT", remaining: 1, message: "image pull failed" } });
    const bad = await requestWorkload(e.ctx, { projectId: e.project.id, name: "broken", image: "localhost/busybox:latest", replicas: 4, offeringId: e.offering.id });
    expect((await usage(e.project.id)).usedVcpu).toBe(6);
    await settle(bad.workloadId);
    const w = await db.workload.findUniqueOrThrow({ where: { id: bad.workloadId } });
    expect(w).toMatchObject({ state: "FAILED", failureCode: "DRIVER_PROVIDER", reservedReplicas: 0 });
    expect(w.releasedAt).not.toBeNull();
    expect((await usage(e.project.id)).usedVcpu).toBe(2);
    const cleanup = await db.workloadOperation.findFirstOrThrow({ where: { workloadId: bad.workloadId, kind: "CLEANUP" } });
    expect(cleanup.status).toBe("SUCCEEDED");
    expect(await db.simWorkload.count({ where: { workloadId: bad.workloadId } })).toBe(0);
    // Deleting the failed workload does not release twice.
    await deleteWorkload(e.ctx, { workloadId: bad.workloadId, confirmName: "broken" });
    await settle(bad.workloadId);
    expect((await usage(e.project.id)).usedVcpu).toBe(2);
  });

  it("gives back a failed scale up's extra replicas and keeps the workload running", async () => {
    const e = await estate();
    const r = await requestWorkload(e.ctx, { projectId: e.project.id, name: "grow", image: "localhost/busybox:latest", replicas: 1, offeringId: e.offering.id });
    await settle(r.workloadId);
    await db.simFault.create({ data: { providerId: e.provider.id, operation: "workloadApply", mode: "PERMANENT", remaining: 1, message: "no room" } });
    await scaleWorkload(e.ctx, { workloadId: r.workloadId, replicas: 4 });
    expect((await usage(e.project.id)).usedVcpu).toBe(4);
    await settle(r.workloadId);
    expect(await db.workload.findUniqueOrThrow({ where: { id: r.workloadId } })).toMatchObject({ state: "RUNNING", replicas: 1, reservedReplicas: 1 });
    expect((await usage(e.project.id)).usedVcpu).toBe(1);
  });

  it("hides workloads from outsiders and refuses viewers' changes", async () => {
    const e = await estate();
    const r = await requestWorkload(e.ctx, { projectId: e.project.id, name: "private", image: "localhost/busybox:latest", replicas: 1, offeringId: e.offering.id });
    const outsider = await makeUser(db);
    await expect(getWorkload(await ctxFor(db, outsider.id), { workloadId: r.workloadId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(requestWorkload(await ctxFor(db, outsider.id), { projectId: e.project.id, name: "x", image: "localhost/busybox:latest", replicas: 1, offeringId: e.offering.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const viewer = await makeUser(db);
    await addMember(db, e.project.id, viewer.id, "VIEWER");
    const vctx = await ctxFor(db, viewer.id);
    expect((await getWorkload(vctx, { workloadId: r.workloadId })).actions).toEqual([]);
    await settle(r.workloadId);
    await expect(scaleWorkload(vctx, { workloadId: r.workloadId, replicas: 2 })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
  it("times out a hung provider call and retries it; a worker killed mid-operation is resumed without duplicates", async () => {
    const e = await estate();
    await db.simFault.create({ data: { providerId: e.provider.id, operation: "workloadApply", mode: "HANG", remaining: 1, message: "hung" } });
    const r = await requestWorkload(e.ctx, { projectId: e.project.id, name: "hang", image: "localhost/busybox:latest", replicas: 2, offeringId: e.offering.id });
    const quick = { ...deps, workloadTimeoutMs: 300 };
    await drainWorkload(quick, r.workloadId);
    const op = await db.workloadOperation.findFirstOrThrow({ where: { workloadId: r.workloadId, kind: "DEPLOY" } });
    expect(op).toMatchObject({ status: "QUEUED", errorCode: "DRIVER_TIMEOUT", attempts: 1 });
    await settle(r.workloadId);
    expect(await db.workloadOperation.findUniqueOrThrow({ where: { id: op.id } })).toMatchObject({ status: "SUCCEEDED", attempts: 2 });

    // A worker that died after the provider did the work: the operation is left RUNNING. The
    // next run claims it again, the driver's apply finds what exists, nothing is duplicated.
    const s = await scaleWorkload(e.ctx, { workloadId: r.workloadId, replicas: 3 });
    await db.workloadOperation.update({ where: { id: s.operationId }, data: { status: "RUNNING", attempts: 1, startedAt: new Date() } });
    await db.simWorkload.update({ where: { providerId_workloadId: { providerId: e.provider.id, workloadId: r.workloadId } }, data: { replicas: 3 } });
    await settle(r.workloadId);
    expect(await db.workloadOperation.findUniqueOrThrow({ where: { id: s.operationId } })).toMatchObject({ status: "SUCCEEDED", attempts: 2 });
    expect(await db.simWorkload.count({ where: { workloadId: r.workloadId } })).toBe(1);
    expect((await getWorkload(e.ctx, { workloadId: r.workloadId })).running).toBe(3);
    expect((await usage(e.project.id)).usedVcpu).toBe(3);
  });
});

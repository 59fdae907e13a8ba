// Container workloads in stacks against real PostgreSQL and the simulator's workload engine
// (driven as the worker drives it, drainWorkload, in this process): apply in dependency order,
// roll out an image and scale in place, replace on an environment change, drift (replicas
// changed and a workload deleted out of band) reported, then healed, and destroy.
import { randomBytes } from "node:crypto";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

process.env.ORQ_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");

import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeOffering, makeProject, makeUser } from "../../test/factories";
import { makeProvider } from "../../test/machine-factories";
import { waitFor } from "../../test/wait";
import { drainWorkload, type WorkloadEngineDeps } from "../workloads/engine";
import { deleteWorkload, scaleWorkload } from "../workloads/operate-workload";
import { WORKLOAD_STACK_LABEL } from "../workloads/request-workload";
import { saveStack } from "./save-stack";
import { applyStack, destroyStack, planStack } from "./apply-stack";
import { runStacks } from "./stack-task";

let t: TestDatabase;
let deps: WorkloadEngineDeps;
beforeAll(async () => {
  t = await createTestDatabase();
  deps = { db: t.db, now: () => new Date(), retry: { baseMs: 1, maxMs: 5, maxAttempts: 3, jitter: 0 }, log: pino({ level: "silent" }) };
});
afterAll(async () => {
  await t?.drop();
});

async function estate() {
  const owner = await makeUser(t.db);
  const project = await makeProject(t.db, { quotaVcpu: 100, quotaMemoryMb: 100_000, autoApproveBelowCents: 1_000_000 });
  await addMember(t.db, project.id, owner.id, "MEMBER");
  const provider = await makeProvider(t.db, { kind: "SIMULATOR" });
  await t.db.projectProvider.create({ data: { projectId: project.id, providerId: provider.id } });
  const offering = await makeOffering(t.db, { vcpu: 1, memoryMb: 256, monthlyPriceCents: 700 });
  const yaml = (o: { image?: string; apiReplicas?: number; mode?: string; healing?: string } = {}) => `apiVersion: orquestra/v1
kind: Stack
metadata:
  name: shop
  project: ${project.slug}
parameters:
  apiReplicas: { type: integer, default: ${o.apiReplicas ?? 2} }
workloads:
  - name: cache
    image: localhost/busybox:latest
    offering: ${offering.name}
  - name: api
    image: ${o.image ?? "localhost/busybox:latest"}
    command: [sleep, "3600"]
    replicas: \${params.apiReplicas}
    offering: ${offering.name}
    ports: [{ containerPort: 8080 }]
    env: { MODE: ${o.mode ?? "prod"} }
    dependsOn: [cache]
healing: ${o.healing ?? "report"}
`;
  return { owner: await ctxFor(t.db, owner.id), project, provider, offering, yaml };
}

const workloadsOf = (projectId: string) => t.db.workload.findMany({ where: { projectId, state: { not: "DELETED" } }, orderBy: { name: "asc" } });

/** Runs the workload engine for the project's workloads (as the worker's job would). */
async function drain(projectId: string) {
  for (const w of await t.db.workload.findMany({ where: { projectId }, select: { id: true } })) await drainWorkload(deps, w.id);
}

/** Steps the stack task and the engine until the stack is in one of `states`. */
async function until(projectId: string, stackId: string, states: string[]) {
  return waitFor(`stack in ${states.join("/")}`, async () => {
    await drain(projectId);
    await runStacks(t.db, new Date());
    const s = await t.db.stack.findUniqueOrThrow({ where: { id: stackId } });
    return states.includes(s.status) ? s : null;
  }, { everyMs: 50 });
}

describe("container workloads in stacks (simulator)", () => {
  it("applies in dependency order, rolls out and scales in place, replaces on an environment change, destroys", async () => {
    const e = await estate();
    const saved = await saveStack(e.owner, { yaml: e.yaml() });
    const plan = await planStack(e.owner, { stackId: saved.stackId });
    expect(plan.workloadChanges.map((c) => `${c.action} ${c.name}`)).toEqual(["create cache", "create api"]);
    expect(plan.waves).toEqual([["cache"], ["api"]]);
    expect(plan.monthlyDeltaCents).toBe(3 * 700);

    await applyStack(e.owner, { stackId: saved.stackId });
    // The first wave only: the api waits for the cache to run.
    expect((await workloadsOf(e.project.id)).map((w) => w.name)).toEqual(["cache"]);
    const applied = await until(e.project.id, saved.stackId, ["APPLIED", "FAILED"]);
    expect(applied.statusReason).toBeNull();
    expect(applied.status).toBe("APPLIED");
    const first = await workloadsOf(e.project.id);
    expect(first.map((w) => [w.name, w.state, w.replicas, w.image])).toEqual([
      ["api", "RUNNING", 2, "localhost/busybox:latest"],
      ["cache", "RUNNING", 1, "localhost/busybox:latest"],
    ]);
    for (const w of first) expect((w.labels as Record<string, string>)[WORKLOAD_STACK_LABEL]).toBe(saved.stackId);
    expect(first[0]!.env).toEqual({ MODE: "prod" });
    expect(first[1]!.createdAt.getTime()).toBeLessThan(first[0]!.createdAt.getTime());
    expect((await planStack(e.owner, { stackId: saved.stackId })).workloadChanges).toEqual([]);
    expect(await t.db.project.findUniqueOrThrow({ where: { id: e.project.id } })).toMatchObject({ usedVcpu: 3, usedMemoryMb: 768, usedMonthlyCents: 2100 });

    // A new image and more replicas: roll out and scale the same workload.
    await saveStack(e.owner, { yaml: e.yaml({ image: "localhost/busybox:1.36", apiReplicas: 3 }) });
    const changed = await applyStack(e.owner, { stackId: saved.stackId });
    expect(changed.plan.workloadChanges.map((c) => `${c.action} ${c.name}`)).toEqual(["rollout api", "scale api"]);
    const rolled = await until(e.project.id, saved.stackId, ["APPLIED", "FAILED"]);
    expect(rolled.statusReason, rolled.statusReason ?? "").toBeNull();
    expect(rolled.status).toBe("APPLIED");
    const api = (await workloadsOf(e.project.id)).find((w) => w.name === "api")!;
    expect(api).toMatchObject({ id: first[0]!.id, image: "localhost/busybox:1.36", replicas: 3, state: "RUNNING" });

    // An environment change cannot be made in place: the workload is replaced.
    await saveStack(e.owner, { yaml: e.yaml({ image: "localhost/busybox:1.36", apiReplicas: 3, mode: "debug" }) });
    const replaced = await applyStack(e.owner, { stackId: saved.stackId });
    expect(replaced.plan.workloadChanges).toEqual([expect.objectContaining({ action: "replace", name: "api", reason: "env" })]);
    const done = await until(e.project.id, saved.stackId, ["APPLIED", "FAILED"]);
    expect(done.statusReason).toBeNull();
    expect(done.status).toBe("APPLIED");
    const api2 = (await workloadsOf(e.project.id)).find((w) => w.name === "api")!;
    expect(api2.id).not.toBe(api.id);
    expect(api2).toMatchObject({ env: { MODE: "debug" }, replicas: 3, state: "RUNNING" });
    expect(await t.db.workload.findUniqueOrThrow({ where: { id: api.id } })).toMatchObject({ state: "DELETED" });

    await destroyStack(e.owner, { stackId: saved.stackId });
    expect((await until(e.project.id, saved.stackId, ["DESTROYED", "FAILED"])).status).toBe("DESTROYED");
    expect(await workloadsOf(e.project.id)).toEqual([]);
    expect(await t.db.project.findUniqueOrThrow({ where: { id: e.project.id } })).toMatchObject({ usedVcpu: 0, usedMemoryMb: 0, usedMonthlyCents: 0 });
  });

  it("drift: replicas changed and a workload deleted out of band are reported, then healed", async () => {
    const e = await estate();
    const saved = await saveStack(e.owner, { yaml: e.yaml() });
    await applyStack(e.owner, { stackId: saved.stackId });
    expect((await until(e.project.id, saved.stackId, ["APPLIED", "FAILED"])).status).toBe("APPLIED");
    const [api, cache] = await workloadsOf(e.project.id);

    // Out of band, through the workload page's verbs: the api scaled to 4, the cache deleted.
    await scaleWorkload(e.owner, { workloadId: api!.id, replicas: 4 });
    await deleteWorkload(e.owner, { workloadId: cache!.id, confirmName: "cache" });
    await drain(e.project.id);
    expect(await t.db.workload.findUniqueOrThrow({ where: { id: cache!.id } })).toMatchObject({ state: "DELETED" });

    // Report mode: recorded and audited, nothing changed.
    const reported = await runStacks(t.db, new Date());
    expect(reported).toMatchObject({ drifted: 1, healed: 0 });
    const drifted = await t.db.stack.findUniqueOrThrow({ where: { id: saved.stackId } });
    expect(drifted).toMatchObject({ status: "APPLIED", drift: ["create workload cache (localhost/busybox:latest, 1 x " + e.offering.name + ")", "scale workload api 4 -> 2"] });
    expect(await t.db.auditEvent.findFirst({ where: { targetId: saved.stackId, action: "stack.drift" } })).not.toBeNull();
    expect((await workloadsOf(e.project.id)).map((w) => [w.name, w.replicas])).toEqual([["api", 4]]);

    // Auto mode: the next pass heals it (the cache first, then the api's replicas).
    await saveStack(e.owner, { yaml: e.yaml({ healing: "auto" }) });
    expect((await runStacks(t.db, new Date())).healed).toBe(1);
    const healed = await until(e.project.id, saved.stackId, ["APPLIED", "FAILED"]);
    expect(healed.statusReason).toBeNull();
    expect(healed).toMatchObject({ status: "APPLIED", runKind: "heal", drift: [] });
    const now = await workloadsOf(e.project.id);
    expect(now.map((w) => [w.name, w.state, w.replicas])).toEqual([["api", "RUNNING", 2], ["cache", "RUNNING", 1]]);
    expect(now[0]!.id).toBe(api!.id);
    expect(now[1]!.id).not.toBe(cache!.id);
    expect(await t.db.auditEvent.findFirst({ where: { targetId: saved.stackId, action: "stack.heal" } })).not.toBeNull();
  });

  it("a workload the quota cannot hold stops the apply with the reason; nothing later is attempted", async () => {
    const e = await estate();
    await t.db.project.update({ where: { id: e.project.id }, data: { quotaVcpu: 2 } });
    const saved = await saveStack(e.owner, { yaml: e.yaml({ apiReplicas: 5 }) });
    await applyStack(e.owner, { stackId: saved.stackId });
    const failed = await until(e.project.id, saved.stackId, ["FAILED", "APPLIED"]);
    expect(failed.status).toBe("FAILED");
    expect(failed.statusReason).toMatch(/^create workload api .*: /);
    expect((await workloadsOf(e.project.id)).map((w) => w.name)).toEqual(["cache"]);
  });
});

// Container workload healing on a REAL container engine (Podman's Docker API, started by
// scripts/backends/up.sh). A 3-replica workload is deployed through the workload engine; then,
// with the engine's OWN API (dockerode on the same socket, not Orquestra's driver), one replica
// is removed and another stopped. The workload reconcile (the worker's task every minute) sees
// both, records the drift and heals by a SCALE to the workload's own count: the engine runs
// three replicas again, the quota is unchanged, and a second pass finds nothing to do.
// Without the backend the test skips with the reason; with CI set that is a failure.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Docker from "dockerode";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

process.env.ORQ_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");

import { createPrisma, type Db } from "@/lib/db/client";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { createProvider } from "@/lib/providers/create-provider";
import { testProviderConnection } from "@/lib/providers/test-provider-connection";
import { requestWorkload } from "@/lib/workloads/request-workload";
import { deleteWorkload } from "@/lib/workloads/operate-workload";
import { drainWorkload, type WorkloadEngineDeps } from "@/lib/workloads/engine";
import { reconcileWorkloads } from "@/lib/workloads/reconcile-workloads";
import { addMember, ctxFor, makeOffering, makeProject, makeUser } from "../factories";
import { WORKLOAD_REPLICA_LABEL } from "@/lib/drivers/docker/docker-workloads";
import { requireEndpoints } from "./endpoints";

const CI = Boolean(process.env.CI);
const found = requireEndpoints("docker (Podman)", ["ORQ_DOCKER_SOCKET", "ORQ_DOCKER_IMAGE"]);
const reason = "reason" in found ? found.reason : existsSync(found.values.ORQ_DOCKER_SOCKET) ? undefined : `Docker (Podman) socket ${found.values.ORQ_DOCKER_SOCKET} is missing; run npm run backends:up`;
const env = "values" in found ? found.values : ({} as Record<string, string>);
const engine = () => new Docker({ socketPath: env.ORQ_DOCKER_SOCKET });

let base: string | undefined;
let pg: EmbeddedDatabase | undefined;
let db: Db;
let deps: WorkloadEngineDeps;
let workloadId: string | undefined;

beforeAll(async () => {
  if (reason) return;
  base = mkdtempSync(path.join(os.tmpdir(), "orq-workload-heal-pg-"));
  chmodSync(base, 0o755);
  pg = await startEmbeddedPostgres({ dataDir: path.join(base, "data"), database: "orq_workload_heal", persistent: false });
  await migrate(pg.url);
  db = createPrisma(pg.url);
  deps = { db, now: () => new Date(), retry: { baseMs: 50, maxMs: 500, maxAttempts: 3, jitter: 0 }, log: pino({ level: "silent" }) };
}, 180_000);

afterAll(async () => {
  if (workloadId) {
    const left = await engine().listContainers({ all: true, filters: { label: [`orquestra.workload-id=${workloadId}`] } }).catch(() => []);
    for (const c of left) await engine().getContainer(c.Id).remove({ force: true }).catch(() => {});
  }
  await db?.$disconnect();
  await pg?.stop();
  if (base) rmSync(base, { recursive: true, force: true });
}, 120_000);

/** Runs the workload's operations as the worker does, until none is open. */
async function settle(id: string) {
  for (let i = 0; i < 40; i++) {
    await drainWorkload(deps, id);
    if (!(await db.workloadOperation.findFirst({ where: { workloadId: id, status: { in: ["QUEUED", "RUNNING"] } } }))) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("workload operations did not settle");
}

const containers = async (id: string) =>
  (await engine().listContainers({ all: true, filters: { label: [`orquestra.workload-id=${id}`] } }))
    .map((c) => ({ id: c.Id, replica: c.Labels[WORKLOAD_REPLICA_LABEL], state: c.State }))
    .sort((a, b) => Number(a.replica) - Number(b.replica));

describe("container workload healing on Docker (Podman)", () => {
  it("a replica removed and another stopped behind the portal's back: both healed, once", { timeout: 240_000 }, async (t) => {
    if (reason) {
      if (CI) throw new Error(`CI requires the Docker backend: ${reason}`);
      t.skip(reason);
    }
    const admin = await makeUser(db, { role: "ADMIN" });
    const adminCtx = await ctxFor(db, admin.id);
    const { id: providerId } = await createProvider(adminCtx, {
      name: `podman-${randomBytes(3).toString("hex")}`,
      kind: "DOCKER",
      endpoint: `unix://${env.ORQ_DOCKER_SOCKET}`,
      credentials: {},
      config: { stopTimeoutSeconds: 2 },
      cpuOvercommit: 8,
      memoryOvercommit: 1,
      diskOvercommit: 1,
      placementPolicy: "SPREAD",
    });
    expect(await testProviderConnection(adminCtx, { id: providerId })).toMatchObject({ ok: true, status: "ACTIVE" });
    const project = await makeProject(db, { quotaVcpu: 8, quotaMemoryMb: 2048 });
    await db.projectProvider.create({ data: { projectId: project.id, providerId } });
    const member = await makeUser(db);
    await addMember(db, project.id, member.id, "MEMBER");
    const ctx = await ctxFor(db, member.id);
    const offering = await makeOffering(db, { vcpu: 1, memoryMb: 64, monthlyPriceCents: 300 });

    const r = await requestWorkload(ctx, { projectId: project.id, providerId, name: "api", image: env.ORQ_DOCKER_IMAGE, command: ["sleep", "3600"], replicas: 3, offeringId: offering.id, ports: [], env: {}, secrets: {} });
    workloadId = r.workloadId;
    await settle(r.workloadId);
    expect((await db.workload.findUniqueOrThrow({ where: { id: r.workloadId } })).state).toBe("RUNNING");
    const before = await containers(r.workloadId);
    expect(before.map((c) => c.state)).toEqual(["running", "running", "running"]);
    const usage = await db.project.findUniqueOrThrow({ where: { id: project.id }, select: { usedVcpu: true, usedMemoryMb: true } });
    expect(usage).toEqual({ usedVcpu: 3, usedMemoryMb: 192 });
    expect(await reconcileWorkloads(deps, { providerId })).toMatchObject({ checked: 1, healthy: 1, healed: 0 });

    // ---- Out of band, with the engine's own API: one replica removed, another stopped.
    await engine().getContainer(before[0]!.id).remove({ force: true });
    await engine().getContainer(before[1]!.id).stop({ t: 1 });
    const broken = await containers(r.workloadId);
    expect(broken.map((c) => c.state)).toEqual(["exited", "running"]);

    const pass = await reconcileWorkloads(deps, { providerId });
    expect(pass).toMatchObject({ checked: 1, healed: 1 });
    const drift = await db.auditEvent.findFirstOrThrow({ where: { targetId: r.workloadId, action: "workload.drift" } });
    expect((drift.after as { drift: string }).drift).toMatch(/^1 of 3 replicas missing; .+ (stopped|failed)$/);
    await settle(r.workloadId);

    const healed = await containers(r.workloadId);
    expect(healed.map((c) => c.state)).toEqual(["running", "running", "running"]);
    expect(healed.find((c) => c.id === before[0]!.id)).toBeUndefined();
    expect(healed.find((c) => c.id === before[1]!.id)).toBeDefined();
    expect(await db.workload.findUniqueOrThrow({ where: { id: r.workloadId } })).toMatchObject({ state: "RUNNING", replicas: 3, reservedReplicas: 3, failureCode: null });
    expect(await db.project.findUniqueOrThrow({ where: { id: project.id }, select: { usedVcpu: true, usedMemoryMb: true } })).toEqual(usage);
    expect(await reconcileWorkloads(deps, { providerId })).toMatchObject({ checked: 1, healthy: 1, healed: 0 });
    expect(await db.auditEvent.count({ where: { targetId: r.workloadId, action: "workload.drift" } })).toBe(1);

    // ---- Deleting the workload removes every replica from the engine.
    await deleteWorkload(ctx, { workloadId: r.workloadId, confirmName: "api" });
    await settle(r.workloadId);
    expect(await containers(r.workloadId)).toEqual([]);
  });
});

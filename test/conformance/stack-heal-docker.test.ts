// Stack drift and self-healing on a REAL container engine (Podman's Docker API, started by
// scripts/backends/up.sh): a stack is applied on a Docker provider through the real worker
// process; a container is then removed behind the portal's back with the engine's OWN API
// (dockerode on the same socket, not Orquestra's driver). The inventory sync finds the machine
// missing, the stack task reports the drift (healing: report changes nothing), and with
// healing: auto it recreates the machine, which the engine then runs again. The stack's
// container workload runs on the same engine and is removed by the destroy.
//
// Without the backend the test skips with the reason; with CI set that is a failure.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Provider credentials are sealed with this key; the worker child inherits it.
process.env.ORQ_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");

import { createPrisma, type Db } from "@/lib/db/client";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { createProvider } from "@/lib/providers/create-provider";
import { testProviderConnection } from "@/lib/providers/test-provider-connection";
import { discoverHosts } from "@/lib/providers/discover-hosts";
import { setTemplateProviderRefs } from "@/lib/templates/set-template-provider-refs";
import { syncProviderInventory } from "@/lib/providers/sync-inventory";
import { saveStack } from "@/lib/stacks/save-stack";
import { applyStack, destroyStack } from "@/lib/stacks/apply-stack";
import { runStacks } from "@/lib/stacks/stack-task";
import { addMember, ctxFor, makeOffering, makeProject, makeTemplate, makeUser } from "../factories";
import { spawnWorker, stopAllWorkers, waitFor, type SpawnedWorker } from "../orchestration/harness";
import { requireEndpoints } from "./endpoints";

const CI = Boolean(process.env.CI);
const found = requireEndpoints("docker (Podman)", ["ORQ_DOCKER_SOCKET", "ORQ_DOCKER_IMAGE"]);
const reason = "reason" in found ? found.reason : existsSync(found.values.ORQ_DOCKER_SOCKET) ? undefined : `Docker (Podman) socket ${found.values.ORQ_DOCKER_SOCKET} is missing; run npm run backends:up`;
const env = "values" in found ? found.values : ({} as Record<string, string>);
const engine = () => new Docker({ socketPath: env.ORQ_DOCKER_SOCKET });

/** What the engine itself says about a container. */
async function inspect(ref: string): Promise<{ exists: boolean; running?: boolean; machineId?: string }> {
  try {
    const info = await engine().getContainer(ref).inspect();
    return { exists: true, running: info.State.Running === true, machineId: info.Config.Labels?.["orquestra.machine-id"] };
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return { exists: false };
    throw err;
  }
}

let base: string | undefined;
let pg: EmbeddedDatabase | undefined;
let db: Db;
let worker: SpawnedWorker | undefined;
let keepLog = false;
const refs = new Set<string>();

beforeAll(async () => {
  if (reason) return;
  base = mkdtempSync(path.join(os.tmpdir(), "orq-stack-heal-pg-"));
  chmodSync(base, 0o755);
  pg = await startEmbeddedPostgres({ dataDir: path.join(base, "data"), database: "orq_stack_heal", persistent: false });
  await migrate(pg.url);
  db = createPrisma(pg.url);
  worker = await spawnWorker(pg.url, { ORQ_ENCRYPTION_KEY: process.env.ORQ_ENCRYPTION_KEY! });
}, 180_000);

afterAll(async () => {
  for (const ref of refs) await engine().getContainer(ref).remove({ force: true }).catch(() => {});
  await stopAllWorkers();
  await db?.$disconnect();
  await pg?.stop();
  if (base) rmSync(base, { recursive: true, force: true });
  if (worker && !keepLog) rmSync(worker.logFile, { force: true });
  else if (worker) console.log(`[stack-heal-docker] worker log kept: ${worker.logFile}`);
}, 120_000);

/** Steps the stack task (as the worker's cron does every minute) until the stack is in `states`. */
async function until(stackId: string, states: string[]) {
  return waitFor(`stack in ${states.join("/")}`, async () => {
    await runStacks(db, new Date());
    const s = await db.stack.findUniqueOrThrow({ where: { id: stackId } });
    return states.includes(s.status) ? s : null;
  }, { everyMs: 300 });
}

describe("stack drift and healing on Docker (Podman)", () => {
  it("a container removed behind the portal's back: reported, then recreated", { timeout: 240_000 }, async (t) => {
    if (reason) {
      if (CI) throw new Error(`CI requires the Docker backend: ${reason}`);
      t.skip(reason);
    }
    try {
      const admin = await makeUser(db, { role: "ADMIN" });
      const adminCtx = await ctxFor(db, admin.id);
      const providerName = `podman-${randomBytes(3).toString("hex")}`;
      const { id: providerId } = await createProvider(adminCtx, {
        name: providerName,
        kind: "DOCKER",
        endpoint: `unix://${env.ORQ_DOCKER_SOCKET}`,
        credentials: {},
        config: { stopTimeoutSeconds: 5 },
        cpuOvercommit: 8,
        memoryOvercommit: 1,
        diskOvercommit: 1,
        placementPolicy: "SPREAD",
      });
      expect(await testProviderConnection(adminCtx, { id: providerId })).toMatchObject({ ok: true, status: "ACTIVE" });
      expect(await discoverHosts(adminCtx, { id: providerId })).toMatchObject({ ok: true });
      const template = await makeTemplate(db, { minDiskGb: 1 });
      await setTemplateProviderRefs(adminCtx, { templateId: template.id, refs: [{ providerId, ref: env.ORQ_DOCKER_IMAGE }] });
      const offering = await makeOffering(db, { vcpu: 1, memoryMb: 64, diskGb: 1, diskTier: "SSD", monthlyPriceCents: 500 });
      const project = await makeProject(db, { quotaVcpu: 8, quotaMemoryMb: 2048, quotaDiskSsdGb: 20, quotaDiskHddGb: 0, quotaMachines: 6, autoApproveBelowCents: 1_000_000 });
      const member = await makeUser(db);
      await addMember(db, project.id, member.id, "MEMBER");
      const owner = await ctxFor(db, member.id);

      const yaml = (healing: "report" | "auto") => `apiVersion: orquestra/v1
kind: Stack
metadata:
  name: shop
  project: ${project.slug}
machines:
  - name: db
    offering: ${offering.name}
    template: ${template.name}
    placement: provider:${providerName}
  - name: web
    offering: ${offering.name}
    template: ${template.name}
    placement: provider:${providerName}
    count: 2
    dependsOn: [db]
workloads:
  - name: cache
    image: ${env.ORQ_DOCKER_IMAGE}
    command: [sleep, "3600"]
    offering: ${offering.name}
    placement: provider:${providerName}
healing: ${healing}
`;
      const saved = await saveStack(owner, { yaml: yaml("report") });
      await applyStack(owner, { stackId: saved.stackId });
      const applied = await until(saved.stackId, ["APPLIED", "FAILED"]);
      expect(applied.statusReason).toBeNull();
      expect(applied.status).toBe("APPLIED");
      const machines = await db.machine.findMany({ where: { stackId: saved.stackId }, orderBy: { name: "asc" } });
      expect(machines.map((m) => [m.name, m.state, m.providerId])).toEqual([
        ["db", "RUNNING", providerId],
        ["web-01", "RUNNING", providerId],
        ["web-02", "RUNNING", providerId],
      ]);
      for (const m of machines) {
        refs.add(m.externalRef!);
        expect(await inspect(m.externalRef!)).toEqual({ exists: true, running: true, machineId: m.id });
      }
      // The stack's container workload runs on the engine (its containers carry its id).
      const cache = await db.workload.findFirstOrThrow({ where: { projectId: project.id, name: "cache" } });
      expect(cache).toMatchObject({ state: "RUNNING", providerId, replicas: 1 });
      expect((cache.labels as Record<string, string>)["orquestra.stack-id"]).toBe(saved.stackId);
      const stackContainers = async () => engine().listContainers({ all: true, filters: { label: [`orquestra.workload-id=${cache.id}`] } });
      const running = await stackContainers();
      for (const c of running) refs.add(c.Id);
      expect(running.map((c) => [c.State, c.Labels["orquestra.workload-id"]])).toEqual([["running", cache.id]]);

      // ---- Out of band: the engine's own API removes web-02's container.
      const victim = machines[2]!;
      await engine().getContainer(victim.externalRef!).remove({ force: true });
      expect(await inspect(victim.externalRef!)).toEqual({ exists: false });
      // Before the inventory sync has looked, the stack sees nothing wrong.
      await runStacks(db, new Date());
      expect((await db.stack.findUniqueOrThrow({ where: { id: saved.stackId } })).drift).toEqual([]);
      // The inventory sync (the worker's periodic pass) notices the container is gone.
      await syncProviderInventory(db, providerId, new Date());
      expect(await db.machine.findUniqueOrThrow({ where: { id: victim.id } })).toMatchObject({ drifted: true, driftReason: expect.stringMatching(/^Not found on the provider/) });

      // ---- Report mode: the drift is recorded (and audited); nothing is changed.
      const requestsBefore = await db.request.count({ where: { stackId: saved.stackId } });
      const reported = await runStacks(db, new Date());
      expect(reported.drifted).toBe(1);
      expect(reported.healed).toBe(0);
      const drifted = await db.stack.findUniqueOrThrow({ where: { id: saved.stackId } });
      expect(drifted).toMatchObject({ status: "APPLIED", drift: ["recreate web-02 (missing on its provider)"] });
      expect(await db.auditEvent.findFirst({ where: { targetId: saved.stackId, action: "stack.drift" } })).not.toBeNull();
      expect(await db.request.count({ where: { stackId: saved.stackId } })).toBe(requestsBefore);
      expect(await db.machine.findUniqueOrThrow({ where: { id: victim.id } })).toMatchObject({ state: "RUNNING" });

      // ---- Auto mode: the next pass converges it back with a heal run.
      await saveStack(owner, { yaml: yaml("auto") });
      const healing = await runStacks(db, new Date());
      expect(healing.healed).toBe(1);
      expect((await db.stack.findUniqueOrThrow({ where: { id: saved.stackId } })).runKind).toBe("heal");
      const healed = await until(saved.stackId, ["APPLIED", "FAILED"]);
      expect(healed.statusReason).toBeNull();
      expect(healed.status).toBe("APPLIED");
      expect(healed.drift).toEqual([]);
      const now = await db.machine.findMany({ where: { stackId: saved.stackId, state: { not: "DELETED" } }, orderBy: { name: "asc" } });
      expect(now.map((m) => [m.name, m.state])).toEqual([["db", "RUNNING"], ["web-01", "RUNNING"], ["web-02", "RUNNING"]]);
      const recreated = now[2]!;
      expect(recreated.id).not.toBe(victim.id);
      refs.add(recreated.externalRef!);
      // The engine runs the new container, labelled with the new machine's id.
      expect(await inspect(recreated.externalRef!)).toEqual({ exists: true, running: true, machineId: recreated.id });
      // The others were left alone.
      expect(now.slice(0, 2).map((m) => m.id)).toEqual(machines.slice(0, 2).map((m) => m.id));
      expect(await db.machine.findUniqueOrThrow({ where: { id: victim.id } })).toMatchObject({ state: "DELETED" });
      const heal = await db.auditEvent.findFirst({ where: { targetId: saved.stackId, action: "stack.heal" } });
      expect(heal).not.toBeNull();

      // ---- Destroy removes the containers from the engine.
      await destroyStack(owner, { stackId: saved.stackId });
      expect((await until(saved.stackId, ["DESTROYED", "FAILED"])).status).toBe("DESTROYED");
      for (const m of now) await waitFor(`container of ${m.name} gone`, async () => !(await inspect(m.externalRef!)).exists, { everyMs: 300 });
      await waitFor("the workload's containers gone", async () => (await stackContainers()).length === 0, { everyMs: 300 });
    } catch (err) {
      keepLog = true;
      throw err;
    }
  });
});

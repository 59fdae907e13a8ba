// The product path end to end on REAL backends (scripts/backends/up.sh): an administrator
// registers a running local endpoint as a provider, tests it and discovers its hosts; a
// template gets the provider's native reference; a project member requests one machine, a
// project approver approves it, and the real worker process (scripts/worker.ts, as
// `npm run worker` runs it) provisions it on the backend. The machine is then stopped,
// started and deleted through the services, and after each step the backend's OWN API
// (dockerode / LXD's REST API on the same socket, not Orquestra's driver) confirms what
// happened there. Quota and host usage must come back to zero.
//
// Without a backend a block skips with the reason; with CI set that is a failure.
import { randomBytes } from "node:crypto";
import { existsSync, chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Docker from "dockerode";
import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { Agent, request as httpRequest } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Provider credentials are sealed with this key (lib/crypto/seal.ts, read at call time); the
// worker child inherits it to open them.
process.env.ORQ_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");

import { createPrisma, type Db } from "@/lib/db/client";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import type { Ctx } from "@/lib/context";
import type { ProviderKind } from "@/lib/generated/prisma/enums";
import { createProvider } from "@/lib/providers/create-provider";
import { testProviderConnection } from "@/lib/providers/test-provider-connection";
import { discoverHosts } from "@/lib/providers/discover-hosts";
import { setTemplateProviderRefs } from "@/lib/templates/set-template-provider-refs";
import { setOfferingSizes } from "@/lib/providers/set-offering-sizes";
import { submitRequest } from "@/lib/requests/submit-request";
import { approveRequest } from "@/lib/approvals/approve-request";
import { stopMachine } from "@/lib/machines/stop-machine";
import { startMachine } from "@/lib/machines/start-machine";
import { deleteMachine } from "@/lib/machines/delete-machine";
import { driverFor } from "@/lib/drivers/registry";
import { createBackupTarget } from "@/lib/backups/create-backup-target";
import { backupMachine } from "@/lib/backups/backup-machine";
import { restoreBackup } from "@/lib/backups/restore-backup";
import { restoreToNewMachine } from "@/lib/backups/restore-to-new-machine";
import { startS3 } from "../s3";
import { installationId } from "@/lib/installation/installation-id";
import { syncProviderInventory } from "@/lib/providers/sync-inventory";
import { TEST_RESERVATION } from "../factories";
import { addMember, ctxFor, makeOffering, makeProject, makeTemplate, makeUser } from "../factories";
import { spawnWorker, stopAllWorkers, waitFor, type SpawnedWorker } from "../orchestration/harness";
import { requireEndpoints } from "./endpoints";

const CI = Boolean(process.env.CI);
/** Bound on each wait for the worker (provision, stop, start, delete). */
const STEP_TIMEOUT_MS = 60_000;

/** What the backend itself says about the machine (independent of Orquestra's driver). */
interface BackendView {
  exists: boolean;
  running?: boolean;
  /** The Orquestra machine id the backend object carries. */
  machineId?: string;
}

interface Backend {
  name: string;
  kind: ProviderKind;
  envKeys: string[];
  /** Extra precondition (e.g. the socket file exists), or the reason it fails. */
  check: (env: Record<string, string>) => string | null;
  endpoint: (env: Record<string, string>) => string;
  templateRef: (env: Record<string, string>) => string;
  config: Record<string, unknown> | ((env: Record<string, string>) => Record<string, unknown>);
  credentials?: (env: Record<string, string>) => Record<string, string>;
  /** The offering's size on a cloud that sells sizes (an EC2 instance type). */
  sizeRef?: string;
  inspect: (env: Record<string, string>, ref: string) => Promise<BackendView>;
  /** Removes whatever a failed run left on the backend. */
  cleanup: (env: Record<string, string>, ref: string) => Promise<void>;
}

const docker = (env: Record<string, string>) => new Docker({ socketPath: env.ORQ_DOCKER_SOCKET });
const statusOf = (err: unknown) => (err as { statusCode?: number })?.statusCode;

const DOCKER: Backend = {
  name: "docker (Podman)",
  kind: "DOCKER",
  envKeys: ["ORQ_DOCKER_SOCKET", "ORQ_DOCKER_IMAGE"],
  check: (env) => (existsSync(env.ORQ_DOCKER_SOCKET) ? null : `Docker (Podman) socket ${env.ORQ_DOCKER_SOCKET} is missing; run npm run backends:up`),
  endpoint: (env) => `unix://${env.ORQ_DOCKER_SOCKET}`,
  templateRef: (env) => env.ORQ_DOCKER_IMAGE,
  config: { stopTimeoutSeconds: 5 },
  inspect: async (env, ref) => {
    try {
      const info = await docker(env).getContainer(ref).inspect();
      return { exists: true, running: info.State.Running === true, machineId: info.Config.Labels?.["orquestra.machine-id"] };
    } catch (err) {
      if (statusOf(err) === 404) return { exists: false };
      throw err;
    }
  },
  cleanup: async (env, ref) => {
    await docker(env)
      .getContainer(ref)
      .remove({ force: true })
      .catch(() => {});
  },
};

async function lxdApi(env: Record<string, string>, method: "GET" | "DELETE" | "PUT", p: string, body?: unknown) {
  const dispatcher = new Agent({ connect: { socketPath: env.ORQ_LXD_SOCKET } });
  try {
    const res = await httpRequest(`http://lxd${p}`, {
      method,
      dispatcher,
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await res.body.json()) as { metadata?: unknown; error?: string };
    return { status: res.statusCode, json };
  } finally {
    await dispatcher.close();
  }
}

const LXD: Backend = {
  name: "lxd",
  kind: "LXD",
  envKeys: ["ORQ_LXD_SOCKET", "ORQ_LXD_IMAGE"],
  check: (env) => (existsSync(env.ORQ_LXD_SOCKET) ? null : `LXD socket ${env.ORQ_LXD_SOCKET} is missing; run npm run backends:up`),
  endpoint: (env) => `unix://${env.ORQ_LXD_SOCKET}`,
  templateRef: (env) => env.ORQ_LXD_IMAGE,
  config: { storagePool: "default", stopTimeoutSeconds: 10 },
  inspect: async (env, ref) => {
    const r = await lxdApi(env, "GET", `/1.0/instances/${encodeURIComponent(ref)}`);
    if (r.status === 404) return { exists: false };
    if (r.status !== 200) throw new Error(`LXD answered ${r.status}: ${r.json.error}`);
    const m = r.json.metadata as { status?: string; config?: Record<string, string> };
    return { exists: true, running: m.status === "Running", machineId: m.config?.["user.orquestra.machine-id"] };
  },
  cleanup: async (env, ref) => {
    await lxdApi(env, "PUT", `/1.0/instances/${encodeURIComponent(ref)}/state`, { action: "stop", force: true, timeout: 10 }).catch(() => {});
    await new Promise((r) => setTimeout(r, 1000));
    await lxdApi(env, "DELETE", `/1.0/instances/${encodeURIComponent(ref)}`).catch(() => {});
  },
};

const ec2 = (env: Record<string, string>) =>
  new EC2Client({ region: env.ORQ_EC2_REGION, endpoint: env.ORQ_EC2_URL, credentials: { accessKeyId: env.ORQ_EC2_ACCESS_KEY_ID, secretAccessKey: env.ORQ_EC2_SECRET_ACCESS_KEY } });

/** Amazon EC2 as moto implements it: the instance type comes from the offering's size. */
const EC2: Backend = {
  name: "ec2 (moto)",
  kind: "EC2",
  envKeys: ["ORQ_EC2_URL", "ORQ_EC2_REGION", "ORQ_EC2_ACCESS_KEY_ID", "ORQ_EC2_SECRET_ACCESS_KEY", "ORQ_EC2_AMI", "ORQ_EC2_SUBNET", "ORQ_EC2_SECURITY_GROUP"],
  check: () => null,
  endpoint: (env) => env.ORQ_EC2_URL,
  templateRef: (env) => env.ORQ_EC2_AMI,
  config: (env) => ({ region: env.ORQ_EC2_REGION, subnetId: env.ORQ_EC2_SUBNET, securityGroupIds: env.ORQ_EC2_SECURITY_GROUP, vcpuQuota: 16 }),
  credentials: (env) => ({ accessKeyId: env.ORQ_EC2_ACCESS_KEY_ID, secretAccessKey: env.ORQ_EC2_SECRET_ACCESS_KEY }),
  sizeRef: "t3.micro",
  inspect: async (env, ref) => {
    const client = ec2(env);
    try {
      const i = (await client.send(new DescribeInstancesCommand({ InstanceIds: [ref] }))).Reservations?.[0]?.Instances?.[0];
      if (!i || i.State?.Name === "terminated") return { exists: false };
      if (i.InstanceType !== "t3.micro") throw new Error(`instance type ${i.InstanceType}, not the offering's t3.micro`);
      return { exists: true, running: i.State?.Name === "running", machineId: i.Tags?.find((t) => t.Key === "orquestra:machine-id")?.Value };
    } finally {
      client.destroy();
    }
  },
  cleanup: async () => {
    // moto forgets everything when it stops (npm run backends:down).
  },
};

const BACKENDS = [DOCKER, LXD, EC2];

/** The backends that can run here, and why the others cannot. */
const plan = BACKENDS.map((b) => {
  const found = requireEndpoints(b.name, b.envKeys);
  if ("reason" in found) return { backend: b, reason: found.reason, env: {} as Record<string, string> };
  const problem = b.check(found.values);
  return { backend: b, reason: problem ?? undefined, env: found.values };
});

// One database and one worker process for the file (started only when some backend is here).
let base: string | undefined;
let pgServer: EmbeddedDatabase | undefined;
let db: Db;
let worker: SpawnedWorker | undefined;
/** A failed run keeps the worker's log for the reader. */
let keepWorkerLog = false;

beforeAll(async () => {
  if (plan.every((p) => p.reason)) return;
  base = mkdtempSync(path.join(os.tmpdir(), "orq-path-pg-"));
  chmodSync(base, 0o755);
  pgServer = await startEmbeddedPostgres({ dataDir: path.join(base, "data"), database: "orq_product_path", persistent: false });
  await migrate(pgServer.url);
  db = createPrisma(pgServer.url);
  worker = await spawnWorker(pgServer.url, { ORQ_ENCRYPTION_KEY: process.env.ORQ_ENCRYPTION_KEY! });
}, 180_000);

afterAll(async () => {
  await stopAllWorkers();
  await db?.$disconnect();
  await pgServer?.stop();
  if (base) rmSync(base, { recursive: true, force: true });
  if (worker && !keepWorkerLog) rmSync(worker.logFile, { force: true });
  else if (worker) console.log(`[product-path] worker log kept: ${worker.logFile}`);
}, 120_000);

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Polls the machine row until `pred` holds (bounded); fails at once when the machine FAILED. */
async function machineUntil(machineId: string, what: string, pred: (m: { state: string; externalRef: string | null }) => boolean) {
  const end = Date.now() + STEP_TIMEOUT_MS;
  let problem = `timed out after ${STEP_TIMEOUT_MS / 1000} s`;
  for (;;) {
    const m = await db.machine.findUniqueOrThrow({ where: { id: machineId } });
    if (pred(m)) return m;
    if (m.state === "FAILED") {
      problem = `machine FAILED: ${m.failureCode}: ${m.failureReason}`;
      break;
    }
    if (Date.now() > end) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  // Say what the worker was doing: the machine's operations, and where its log is.
  const ops = await db.operation.findMany({ where: { machineId }, orderBy: { createdAt: "asc" } });
  const summary = ops.map((o) => `${o.kind} ${o.status}${o.errorCode ? ` ${o.errorCode}: ${o.error}` : ""}`).join("; ");
  keepWorkerLog = true;
  throw new Error(`waiting for ${what}: ${problem} (operations: ${summary || "none"}; worker log ${worker?.logFile})`);
}

/** Polls the backend until `pred` holds: Orquestra records the state once the driver call returned. */
async function backendUntil(b: Backend, env: Record<string, string>, ref: string, what: string, pred: (v: BackendView) => boolean) {
  return waitFor(what, async () => {
    const v = await b.inspect(env, ref);
    return pred(v) ? v : null;
  }, 15_000, 200);
}

for (const { backend: b, reason, env } of plan) {
  describe(`product path on ${b.name}`, () => {
    const live = (name: string, fn: () => Promise<void>) =>
      it(name, async (ctx) => {
        if (reason) {
          if (CI) throw new Error(`CI requires the ${b.name} backend: ${reason}`);
          ctx.skip(reason);
        }
        try {
          await fn();
        } catch (err) {
          keepWorkerLog = true;
          throw err;
        }
      });

    let ref: string | undefined;

    afterAll(async () => {
      // A failed run must not leave a container behind on the shared backend.
      if (ref && !reason) await b.cleanup(env, ref);
    }, 60_000);

    live("an approved request becomes a real machine there, operated through its life", async () => {
      const timings: Record<string, number> = {};

      // ---- The administrator registers the endpoint.
      const admin = await makeUser(db, { role: "ADMIN" });
      const adminCtx: Ctx = await ctxFor(db, admin.id);
      const { id: providerId } = await createProvider(adminCtx, {
        name: `${b.name} ${randomBytes(3).toString("hex")}`,
        kind: b.kind,
        endpoint: b.endpoint(env),
        credentials: b.credentials?.(env) ?? {},
        config: typeof b.config === "function" ? b.config(env) : b.config,
        cpuOvercommit: 8,
        memoryOvercommit: 1,
        diskOvercommit: 1,
        placementPolicy: "SPREAD",
      });
      expect((await db.provider.findUniqueOrThrow({ where: { id: providerId } })).status).toBe("UNAVAILABLE");

      const tested = await testProviderConnection(adminCtx, { id: providerId });
      expect(tested, JSON.stringify(tested)).toMatchObject({ ok: true, status: "ACTIVE" });
      expect((await db.provider.findUniqueOrThrow({ where: { id: providerId } })).status).toBe("ACTIVE");

      const discovered = await discoverHosts(adminCtx, { id: providerId });
      expect(discovered, JSON.stringify(discovered)).toMatchObject({ ok: true });
      const hosts = await db.host.findMany({ where: { providerId } });
      expect(hosts.length).toBeGreaterThanOrEqual(1);
      for (const h of hosts) {
        expect(h.state).toBe("ACTIVE");
        expect(h.vcpuTotal).toBeGreaterThan(0);
        expect(h.memoryMbTotal).toBeGreaterThan(0);
      }
      // Placement needs disk on the offering's tier: discovery must report it (Podman's
      // storage size, or the provider's configured diskGb on Docker Engine).
      expect(hosts.some((h) => h.diskSsdGbTotal > 0 || h.diskHddGbTotal > 0)).toBe(true);

      // ---- The template gets the provider's native reference.
      const template = await makeTemplate(db, { minDiskGb: 1 });
      const refs = await setTemplateProviderRefs(adminCtx, { templateId: template.id, refs: [{ providerId, ref: b.templateRef(env) }] });
      expect(refs.providerRefs).toEqual({ [providerId]: b.templateRef(env) });

      // ---- A project with quota, a member and an approver.
      const offering = await makeOffering(db, { vcpu: 1, memoryMb: 64, diskGb: 1, diskTier: "SSD", monthlyPriceCents: 500 });
      // On a cloud that sells sizes, the offering gets one there (else no placement there).
      if (b.sizeRef) await setOfferingSizes(adminCtx, { providerId, refs: [{ offeringId: offering.id, ref: b.sizeRef }] });
      const project = await makeProject(db, { quotaVcpu: 4, quotaMemoryMb: 1024, quotaDiskSsdGb: 10, quotaDiskHddGb: 0, quotaMachines: 2, autoApproveBelowCents: null });
      const member = await makeUser(db);
      const approver = await makeUser(db);
      await addMember(db, project.id, member.id, "MEMBER");
      await addMember(db, project.id, approver.id, "APPROVER");
      const memberCtx = await ctxFor(db, member.id);
      const approverCtx = await ctxFor(db, approver.id);

      // ---- The member requests one machine; the approver approves it.
      const machineName = `path-${b.kind.toLowerCase()}-${randomBytes(3).toString("hex")}`;
      const submitted = await submitRequest(memberCtx, { projectId: project.id, offeringId: offering.id, templateId: template.id, quantity: 1, name: machineName });
      expect(submitted.status).toBe("PENDING_APPROVAL");
      const approvedAt = performance.now();
      const approval = await approveRequest(approverCtx, { requestId: submitted.id });
      expect(approval.machineIds).toHaveLength(1);
      const machineId = approval.machineIds[0];

      // ---- The worker provisions it on the backend.
      const running = await machineUntil(machineId, "machine RUNNING with an externalRef", (m) => m.state === "RUNNING" && !!m.externalRef);
      timings["approval -> RUNNING"] = performance.now() - approvedAt;
      ref = running.externalRef!;
      expect(running.providerId).toBe(providerId);
      expect(hosts.map((h) => h.id)).toContain(running.hostId);
      expect(running.name).toBe(machineName);
      let view = await b.inspect(env, ref);
      expect(view, `${b.name} object ${ref}`).toEqual({ exists: true, running: true, machineId });
      expect((await db.request.findUniqueOrThrow({ where: { id: submitted.id } })).status).toBe("FULFILLED");
      const reserved = await db.project.findUniqueOrThrow({ where: { id: project.id } });
      expect(reserved).toMatchObject({ usedVcpu: 1, usedMemoryMb: 64, usedDiskSsdGb: 1, usedMachines: 1 });
      expect(await db.host.findUniqueOrThrow({ where: { id: running.hostId! } })).toMatchObject({ vcpuUsed: 1, memoryMbUsed: 64, diskSsdGbUsed: 1 });

      // ---- Stop.
      let t0 = performance.now();
      await stopMachine(memberCtx, { machineId });
      await machineUntil(machineId, "machine STOPPED", (m) => m.state === "STOPPED");
      timings.stop = performance.now() - t0;
      view = await backendUntil(b, env, ref, "backend reports it stopped", (v) => v.exists && v.running === false);
      expect(view).toEqual({ exists: true, running: false, machineId });

      // ---- Start.
      t0 = performance.now();
      await startMachine(memberCtx, { machineId });
      await machineUntil(machineId, "machine RUNNING again", (m) => m.state === "RUNNING");
      timings.start = performance.now() - t0;
      view = await backendUntil(b, env, ref, "backend reports it running", (v) => v.exists && v.running === true);
      expect(view).toEqual({ exists: true, running: true, machineId });

      // ---- Back up to a real S3-compatible store (s3rver) through the worker with the driver's
      // native export, then restore it into the machine (Docker and LXD declare "backup").
      const opsDone = ["PROVISION SUCCEEDED", "STOP SUCCEEDED", "START SUCCEEDED"];
      if (b.kind === "DOCKER" || b.kind === "LXD") {
        const s3 = await startS3();
        try {
          const target = await createBackupTarget(adminCtx, {
            name: `path ${randomBytes(3).toString("hex")}`,
            endpoint: s3.endpoint,
            region: "us-east-1",
            bucket: s3.bucket,
            prefix: "",
            forcePathStyle: true,
            accessKeyId: s3.accessKeyId,
            secretAccessKey: s3.secretAccessKey,
          });
          t0 = performance.now();
          const bk = await backupMachine(memberCtx, { machineId, targetId: target.id });
          const stored = await waitFor("the backup to finish", async () => {
            const r = await db.backup.findUniqueOrThrow({ where: { id: bk.backupId } });
            return r.status !== "PENDING" && r.status !== "RUNNING" && r;
          });
          timings.backup = performance.now() - t0;
          expect(stored, JSON.stringify({ ...stored, sizeBytes: String(stored.sizeBytes) })).toMatchObject({ status: "AVAILABLE", format: b.kind === "DOCKER" ? "docker-image-tar" : "lxd-backup-tar" });
          expect(stored.sha256).toMatch(/^[0-9a-f]{64}$/);
          expect(Number(stored.sizeBytes)).toBeGreaterThan(0);

          t0 = performance.now();
          const restoring = await restoreBackup(memberCtx, { backupId: bk.backupId });
          await waitFor("the restore to finish", async () => {
            const op = await db.operation.findUniqueOrThrow({ where: { id: restoring.operationId } });
            return op.status !== "QUEUED" && op.status !== "RUNNING" && op;
          });
          const restored = await machineUntil(machineId, "machine RUNNING after the restore", (m) => m.state === "RUNNING" && !!m.externalRef);
          timings.restore = performance.now() - t0;
          // Docker recreates the container (a new ref); LXD keeps the instance's name.
          ref = restored.externalRef!;
          view = await backendUntil(b, env, ref, "backend reports the restored machine running", (v) => v.exists && v.running === true);
          expect(view).toEqual({ exists: true, running: true, machineId });
          expect((await db.backup.findUniqueOrThrow({ where: { id: bk.backupId } })).verifiedAt).not.toBeNull();
          opsDone.push("BACKUP SUCCEEDED", "RESTORE SUCCEEDED");

          // ---- And into a new machine (the driver's import), which is then deleted.
          t0 = performance.now();
          const copy = await restoreToNewMachine(memberCtx, { backupId: bk.backupId, name: `${machineName}-copy` });
          const copyRunning = await machineUntil(copy.machineId, "restored copy RUNNING", (m) => m.state === "RUNNING" && !!m.externalRef);
          timings["restore to new machine"] = performance.now() - t0;
          expect(copyRunning.externalRef).not.toBe(ref);
          view = await b.inspect(env, copyRunning.externalRef!);
          expect(view).toEqual({ exists: true, running: true, machineId: copy.machineId });
          await deleteMachine(memberCtx, { machineId: copy.machineId, confirmName: `${machineName}-copy` });
          await machineUntil(copy.machineId, "restored copy DELETED", (m) => m.state === "DELETED");
          await backendUntil(b, env, copyRunning.externalRef!, "restored copy gone", (v) => !v.exists);
        } finally {
          await s3.stop();
        }
      }

      // ---- Delete (the owner confirms the name; a wrong name is refused and changes nothing).
      await expect(deleteMachine(memberCtx, { machineId, confirmName: `${machineName}-x` })).rejects.toMatchObject({ code: "VALIDATION" });
      expect((await db.machine.findUniqueOrThrow({ where: { id: machineId } })).state).toBe("RUNNING");
      t0 = performance.now();
      await deleteMachine(memberCtx, { machineId, confirmName: machineName });
      await machineUntil(machineId, "machine DELETED", (m) => m.state === "DELETED");
      timings.delete = performance.now() - t0;
      await backendUntil(b, env, ref, "backend object gone", (v) => !v.exists);
      ref = undefined;

      // ---- Everything it held is given back.
      const after = await db.project.findUniqueOrThrow({ where: { id: project.id } });
      expect(after).toMatchObject({ usedVcpu: 0, usedMemoryMb: 0, usedDiskSsdGb: 0, usedDiskHddGb: 0, usedMachines: 0 });
      expect(await db.host.findUniqueOrThrow({ where: { id: running.hostId! } })).toMatchObject({ vcpuUsed: 0, memoryMbUsed: 0, diskSsdGbUsed: 0 });
      const ops = await db.operation.findMany({ where: { machineId }, orderBy: { createdAt: "asc" } });
      expect(ops.map((o) => `${o.kind} ${o.status}`)).toEqual([...opsDone, "DELETE SUCCEEDED"]);

      console.log(
        `[product-path timings] ${b.name}: ${Object.entries(timings)
          .map(([k, v]) => `${k} ${secs(v)}`)
          .join(", ")}`,
      );
    });

    live("reconcile removes what the driver created when the database write was lost", async () => {
      const admin = await makeUser(db, { role: "ADMIN" });
      const adminCtx: Ctx = await ctxFor(db, admin.id);
      const { id: providerId } = await createProvider(adminCtx, {
        name: `${b.name} reconcile ${randomBytes(3).toString("hex")}`,
        kind: b.kind,
        endpoint: b.endpoint(env),
        credentials: b.credentials?.(env) ?? {},
        config: typeof b.config === "function" ? b.config(env) : b.config,
        cpuOvercommit: 8,
        memoryOvercommit: 1,
        diskOvercommit: 1,
        placementPolicy: "SPREAD",
      });
      expect(await testProviderConnection(adminCtx, { id: providerId })).toMatchObject({ ok: true });
      const template = await makeTemplate(db, { minDiskGb: 1 });
      const offering = await makeOffering(db);
      const project = await makeProject(db);
      const owner = await makeUser(db);
      // Two machines whose resources exist on the backend but whose database writes were lost:
      // one whose provision then failed, one deleted without its resource being removed.
      const mk = (state: "FAILED" | "DELETED") =>
        db.machine.create({
          data: {
            ...TEST_RESERVATION,
            projectId: project.id,
            ownerId: owner.id,
            offeringId: offering.id,
            templateId: template.id,
            name: `lost-${state.toLowerCase()}-${randomBytes(3).toString("hex")}`,
            state,
            providerId,
            releasedAt: new Date(),
            deletedAt: state === "DELETED" ? new Date() : null,
          },
        });
      const failed = await mk("FAILED");
      const deleted = await mk("DELETED");
      const provider = await db.provider.findUniqueOrThrow({ where: { id: providerId } });
      const driver = await driverFor(provider, { db });
      const installation = await installationId(db);
      const created: string[] = [];
      try {
        for (const m of [failed, deleted]) {
          const dm = await driver.provision(
            { machineId: m.id, installationId: installation, name: m.name, vcpu: 1, memoryMb: 64, diskGb: 1, diskTier: "SSD", templateRef: b.templateRef(env), ...(b.sizeRef ? { sizeRef: b.sizeRef } : {}) },
            m.id,
            { signal: AbortSignal.timeout(STEP_TIMEOUT_MS) },
          );
          created.push(dm.ref);
          expect((await b.inspect(env, dm.ref)).machineId).toBe(m.id);
        }
      } finally {
        await driver.close();
      }
      const pass = await syncProviderInventory(db, providerId, new Date(), { trigger: "test" });
      if (!pass.ok) throw new Error(pass.message);
      expect(pass.reconcile.map((f) => [f.machineId, f.action, f.done]).sort()).toEqual(
        [
          [failed.id, "cleanup", true],
          [deleted.id, "destroy", true],
        ].sort(),
      );
      // The deleted machine's resource is gone at once; the failed one's by its CLEANUP operation.
      await backendUntil(b, env, created[1], "deleted machine's resource removed", (v) => !v.exists);
      await waitFor("the cleanup to finish", async () => {
        const op = await db.operation.findFirst({ where: { machineId: failed.id, kind: "CLEANUP" } });
        return op && ["SUCCEEDED", "FAILED"].includes(op.status) ? op : null;
      }, STEP_TIMEOUT_MS, 200);
      await backendUntil(b, env, created[0], "failed machine's resource removed", (v) => !v.exists);
      const again = await syncProviderInventory(db, providerId, new Date(), { trigger: "test" });
      expect(again.ok && again.reconcile).toEqual([]);
    });
  });
}

// Test harness for the orchestration engine: a simulated estate (provider, hosts, template,
// offering, project), approvals through the real approval service, and REAL worker processes
// (scripts/worker.ts spawned as children, exactly as `npm run worker` runs it).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { Db } from "../../lib/db/client";
import type { DiskTier, PlacementPolicy } from "../../lib/generated/prisma/enums";
import { approveRequest } from "../../lib/approvals/approve-request";
import { workerCommand } from "../../scripts/processes";
import { addMember, ctxFor, makeOffering, makeProject, makeTemplate, makeUser } from "../factories";
import { testDeadline, waitFor as waitUntil, type WaitOptions } from "../wait";

// From this module's own URL: under tsx (scripts/bench-provision.ts) `__dirname` is not defined in
// an ES module, and the generated Prisma client sets a global one pointing at its own folder.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface Estate {
  providerId: string;
  hostIds: string[];
  templateId: string;
  offeringId: string;
  projectId: string;
  ownerId: string;
  approverId: string;
}

export async function makeEstate(
  db: Db,
  opts: {
    hosts?: number;
    vcpuTotal?: number;
    memoryMbTotal?: number;
    diskSsdGbTotal?: number;
    diskHddGbTotal?: number;
    latencyMs?: number | Record<string, number>;
    policy?: PlacementPolicy;
    offering?: { vcpu?: number; memoryMb?: number; diskGb?: number; diskTier?: DiskTier; monthlyPriceCents?: number };
    quota?: Parameters<typeof makeProject>[1];
    leaseGraceDays?: number;
  } = {},
): Promise<Estate> {
  const tag = randomUUID().slice(0, 8);
  const provider = await db.provider.create({
    data: { name: `sim-${tag}`, kind: "SIMULATOR", endpoint: "simulator://test", config: { latencyMs: opts.latencyMs ?? 0 }, placementPolicy: opts.policy ?? "SPREAD" },
  });
  const hostIds: string[] = [];
  for (let i = 0; i < (opts.hosts ?? 3); i++) {
    const h = await db.host.create({
      data: {
        providerId: provider.id,
        name: `host-${tag}-${String(i).padStart(2, "0")}`,
        externalRef: `host-${tag}-${i}`,
        vcpuTotal: opts.vcpuTotal ?? 16,
        memoryMbTotal: opts.memoryMbTotal ?? 65536,
        diskSsdGbTotal: opts.diskSsdGbTotal ?? 2000,
        diskHddGbTotal: opts.diskHddGbTotal ?? 0,
      },
    });
    hostIds.push(h.id);
  }
  const template = await makeTemplate(db);
  await db.templateProviderRef.create({ data: { templateId: template.id, providerId: provider.id, ref: `sim-image:${tag}` } });
  const offering = await makeOffering(db, { vcpu: 2, memoryMb: 4096, diskGb: 50, diskTier: "SSD", monthlyPriceCents: 1000, ...opts.offering });
  const project = await makeProject(db, opts.quota ?? { quotaVcpu: 10_000, quotaMemoryMb: 100_000_000, quotaMachines: 10_000, quotaDiskSsdGb: 10_000_000 });
  if (opts.leaseGraceDays !== undefined) await db.project.update({ where: { id: project.id }, data: { leaseGraceDays: opts.leaseGraceDays } });
  const owner = await makeUser(db);
  const approver = await makeUser(db, { role: "ADMIN" });
  await addMember(db, project.id, owner.id, "MEMBER");
  return {
    providerId: provider.id,
    hostIds,
    templateId: template.id,
    offeringId: offering.id,
    projectId: project.id,
    ownerId: owner.id,
    approverId: approver.id,
  };
}

/** Submits a request as the owner and approves it through the real approval service. */
export async function approve(
  db: Db,
  e: Estate,
  opts: { quantity?: number; offeringId?: string; leaseEndsAt?: Date | null; names?: string[] } = {},
): Promise<{ requestId: string; machineIds: string[]; operationIds: string[] }> {
  const quantity = opts.quantity ?? 1;
  const offering = await db.offering.findUniqueOrThrow({ where: { id: opts.offeringId ?? e.offeringId } });
  const tag = randomUUID().slice(0, 6);
  const request = await db.request.create({
    data: {
      projectId: e.projectId,
      requesterId: e.ownerId,
      offeringId: offering.id,
      templateId: e.templateId,
      quantity,
      names: opts.names ?? Array.from({ length: quantity }, (_, i) => `vm-${tag}-${i}`),
      leaseEndsAt: opts.leaseEndsAt ?? null,
      monthlyCostCents: offering.monthlyPriceCents * quantity,
    },
  });
  const ctx = await ctxFor(db, e.approverId);
  return approveRequest(ctx, { requestId: request.id } as Parameters<typeof approveRequest>[1]);
}

export interface SpawnedWorker {
  child: ChildProcess;
  poolId: string;
  logFile: string;
  /** SIGTERM and wait for a clean exit. */
  stop: () => Promise<number | null>;
  kill: () => Promise<void>;
}

const running = new Set<SpawnedWorker>();

/** Stops (SIGTERM, then SIGKILL) every worker this file started: call it in afterAll. */
export async function stopAllWorkers(): Promise<void> {
  await Promise.all(
    [...running].map(async (w) => {
      const t = setTimeout(() => void w.kill(), 8000);
      await w.stop();
      clearTimeout(t);
    }),
  );
  running.clear();
}

/** Starts scripts/worker.ts as a child process (like `npm run worker`) and waits until it is ready. */
export async function spawnWorker(databaseUrl: string, env: Record<string, string> = {}): Promise<SpawnedWorker> {
  const logFile = path.join(os.tmpdir(), `orq-worker-${randomUUID().slice(0, 8)}.log`);
  const out = fs.openSync(logFile, "a");
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    ORQ_PROCESS: "worker",
    ORQ_LOG_LEVEL: process.env.ORQ_TEST_WORKER_LOG ?? "info",
    ORQ_WORKER_READY_FD: "stdout",
    ORQ_WORKER_HEARTBEAT_MS: "500",
    ORQ_RETRY_BASE_MS: "100",
    ORQ_RETRY_MAX_MS: "1000",
    ORQ_WORKER_CONCURRENCY: "8",
    // The host monitor (HA) only where a test asks for it: it probes providers on its own.
    ORQ_HOST_MONITOR_MS: "0",
    ...env,
  };
  if (!("ORQ_SIM_LATENCY_MS" in env)) delete childEnv.ORQ_SIM_LATENCY_MS;
  // One node process, as `npm start` runs it (scripts/processes.ts): the tsx CLI would add a
  // wrapper that relays SIGTERM only if the worker answers its 30 ms signal handshake, which
  // a loaded machine misses (the wrapper then exits 143 under a worker still stopping).
  const cmd = workerCommand(root);
  const child = spawn(cmd.command, cmd.args, {
    cwd: cmd.cwd,
    env: childEnv,
    stdio: ["ignore", "pipe", out],
    // Its own process group, so a SIGKILL also reaches anything it started.
    detached: true,
  });
  const gone = () => {
    // Not ready in time (or exited): nothing of it may stay behind.
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      /* already gone */
    }
  };
  const poolId = await new Promise<string>((resolve, reject) => {
    let buf = "";
    // 30 s, or less when a test spawns it: never past the test's own timeout.
    const limit = Math.max(1000, Math.min(30_000, (testDeadline() ?? Infinity) - Date.now()));
    const timer = setTimeout(() => {
      gone();
      reject(new Error(`worker did not start in ${Math.round(limit / 1000)} s; see ${logFile}`));
    }, limit);
    child.stdout!.on("data", (d: Buffer) => {
      fs.appendFileSync(logFile, d);
      buf += d.toString();
      const m = /ORQ_WORKER_READY (\S+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      gone();
      reject(new Error(`worker exited with ${code} before it was ready; see ${logFile}`));
    });
  });
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const w: SpawnedWorker = {
    child,
    poolId,
    logFile,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode) return child.exitCode;
      child.kill("SIGTERM");
      return exited;
    },
    kill: async () => {
      if (child.exitCode !== null || child.signalCode) return;
      process.kill(-child.pid!, "SIGKILL");
      await exited;
    },
  };
  running.add(w);
  void exited.then(() => running.delete(w));
  return w;
}

/**
 * Polls `fn` until it returns something (see test/wait.ts: never past the running test's own
 * timeout). `opts` may be a timeout in ms, as in older callers.
 */
export function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, opts: number | WaitOptions = {}, everyMs?: number): Promise<T> {
  const o: WaitOptions = typeof opts === "number" ? { timeoutMs: opts } : opts;
  return waitUntil(what, fn, { ...o, everyMs: everyMs ?? o.everyMs });
}

/** Resolves when every machine is in one of `states`. */
export function allMachinesIn(db: Db, ids: string[], states: string[], opts: number | WaitOptions = {}) {
  return waitFor(
    `machines in ${states.join("/")}`,
    async () => {
      const ms = await db.machine.findMany({ where: { id: { in: ids } }, select: { state: true } });
      return ms.length === ids.length && ms.every((m) => states.includes(m.state)) ? ms : null;
    },
    opts,
  );
}

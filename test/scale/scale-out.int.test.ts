// Scale-out (issue 9): several "web servers" and several workers on ONE external PostgreSQL
// (the embedded cluster that global setup starts once, reached only through its URL).
// Two separate node processes approve 1,000 machines (200 requests of 5) through the
// approval service, in parallel; three worker processes (scripts/worker.ts, as `npm run
// worker` runs it) provision them on the simulator at zero latency; one worker is SIGKILLed
// midway. Then: every machine RUNNING, created exactly once on the provider, one successful
// PROVISION each; no host past total x overcommit ratio and each host's usage the sum of its
// machines; the project's usage exactly its machines', and the requests that no longer fit
// the quota refused whole.
//
// Honest limits: the "web servers" call the service verb (approveRequest), not HTTP through
// `next start`: npm test runs vitest before `next build`, so no production build exists yet.
// Size: ORQ_SCALEOUT_REQUESTS requests of 5 machines. The default (40: 200 machines) keeps npm
// test within a few minutes on a shared 2-core machine; ORQ_SCALEOUT_REQUESTS=200 runs the
// issue's 1,000 machines (a run at that size on the shared machine, with a container build
// beside it, needed more than 5 minutes).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db";
import type { Db } from "../../lib/db/client";
import { allMachinesIn, makeEstate, spawnWorker, stopAllWorkers, waitFor } from "../orchestration/harness";

const root = path.resolve(__dirname, "..", "..");
const REQUESTS = Number(process.env.ORQ_SCALEOUT_REQUESTS ?? 40);
/** Generous: about 0.4 s per machine on a loaded 2-core machine, plus the processes' start. */
const TIMEOUT_MS = 120_000 + REQUESTS * 5 * 600;
const PER_REQUEST = 5;
const OVER_QUOTA = 5;

let t: TestDatabase;
let db: Db;
const children = new Set<ReturnType<typeof spawn>>();

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await stopAllWorkers();
  await t?.drop();
});

/** One "web server": a node process approving the given requests; resolves with its tally. */
function webProcess(requestIds: string[], approverId: string): Promise<Record<string, number>> {
  const file = path.join(os.tmpdir(), `orq-scale-${randomUUID().slice(0, 8)}.txt`);
  fs.writeFileSync(file, requestIds.join("\n"));
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", path.join(root, "test/scale/web-process.ts"), file, "4"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: t.url, ORQ_APPROVER_ID: approverId, ORQ_LOG_LEVEL: "warn", ORQ_DB_POOL: "6" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.on("exit", (code) => {
      fs.rmSync(file, { force: true });
      const m = /ORQ_WEB_RESULT (.*)/.exec(out);
      if (code === 0 && m) resolve(JSON.parse(m[1]) as Record<string, number>);
      else reject(new Error(`web process exited with ${code}: ${err.slice(-2000)}`));
    });
  });
}

describe("scale-out: 2 web processes, 3 workers, one PostgreSQL", () => {
  it(`approves ${REQUESTS * PER_REQUEST} machines over both, survives a SIGKILLed worker, exact capacity and quotas`, { timeout: TIMEOUT_MS }, async () => {
    const machines = REQUESTS * PER_REQUEST;
    // 10 hosts whose vCPU at the 2.0 ratio holds all machines with 10% to spare.
    const e = await makeEstate(db, {
      hosts: 10,
      vcpuTotal: Math.ceil((machines * 2 * 1.1) / 10 / 2),
      memoryMbTotal: 1 << 30,
      diskSsdGbTotal: 10_000_000,
      quota: { quotaVcpu: machines * 2, quotaMemoryMb: 1 << 30, quotaMachines: machines, quotaDiskSsdGb: 10_000_000 },
    });
    await db.provider.update({ where: { id: e.providerId }, data: { cpuOvercommit: 2 } });
    const offering = await db.offering.findUniqueOrThrow({ where: { id: e.offeringId } });
    // The requests (as members submit them); OVER_QUOTA more than the quota holds.
    const requestIds: string[] = [];
    for (let i = 0; i < REQUESTS + OVER_QUOTA; i++) {
      const r = await db.request.create({
        data: {
          projectId: e.projectId,
          requesterId: e.ownerId,
          offeringId: e.offeringId,
          templateId: e.templateId,
          quantity: PER_REQUEST,
          names: Array.from({ length: PER_REQUEST }, (_, k) => `so-${i}-${k}`),
          monthlyCostCents: offering.monthlyPriceCents * PER_REQUEST,
        },
        select: { id: true },
      });
      requestIds.push(r.id);
    }

    const workers = await Promise.all([0, 1, 2].map(() => spawnWorker(t.url, { ORQ_SIM_LATENCY_MS: "0" })));
    // Interleaved halves: both web processes race for the same project row all along.
    const [a, b] = await Promise.all([
      webProcess(requestIds.filter((_, i) => i % 2 === 0), e.approverId),
      webProcess(requestIds.filter((_, i) => i % 2 === 1), e.approverId),
    ]);
    expect(a.approved).toBeGreaterThan(0);
    expect(b.approved).toBeGreaterThan(0);
    expect(a.approved + b.approved).toBe(REQUESTS);
    expect((a.QUOTA_EXCEEDED ?? 0) + (b.QUOTA_EXCEEDED ?? 0)).toBe(OVER_QUOTA);
    expect(a.ERROR ?? 0).toBe(0);
    expect(b.ERROR ?? 0).toBe(0);

    const ids = (await db.machine.findMany({ where: { projectId: e.projectId }, select: { id: true } })).map((m) => m.id);
    expect(ids).toHaveLength(machines);
    // SIGKILL one worker once a good part is done but much is left.
    await waitFor("a third of the machines running", async () => (await db.machine.count({ where: { projectId: e.projectId, state: "RUNNING" } })) >= machines / 3, { everyMs: 50 });
    await workers[0].kill();
    const runningAtKill = await db.machine.count({ where: { projectId: e.projectId, state: "RUNNING" } });
    expect(runningAtKill).toBeLessThan(machines);

    await allMachinesIn(db, ids, ["RUNNING"], { timeoutMs: TIMEOUT_MS - 60_000, everyMs: 250 });

    // Created exactly once on the provider, one successful PROVISION each.
    const sims = await db.simMachine.findMany({ where: { idempotencyKey: { in: ids } }, select: { creations: true, powerState: true } });
    expect(sims).toHaveLength(machines);
    expect(sims.filter((s) => s.creations !== 1 || s.powerState !== "RUNNING")).toEqual([]);
    const ops = await db.operation.groupBy({ by: ["status"], where: { machineId: { in: ids }, kind: "PROVISION" }, _count: { _all: true } });
    expect(ops.map((o) => [o.status, o._count._all])).toEqual([["SUCCEEDED", machines]]);

    // No host past its ratio; each host's usage is exactly its machines'.
    const provider = await db.provider.findUniqueOrThrow({ where: { id: e.providerId } });
    const hosts = await db.host.findMany({ where: { providerId: e.providerId } });
    const perHost = await db.machine.groupBy({ by: ["hostId"], where: { projectId: e.projectId }, _sum: { vcpu: true, memoryMb: true } });
    for (const h of hosts) {
      expect(h.vcpuUsed).toBeLessThanOrEqual(Math.floor(h.vcpuTotal * provider.cpuOvercommit));
      const sum = perHost.find((p) => p.hostId === h.id)?._sum;
      expect(h.vcpuUsed, h.name).toBe(sum?.vcpu ?? 0);
      expect(h.memoryMbUsed, h.name).toBe(sum?.memoryMb ?? 0);
    }
    expect(hosts.reduce((s, h) => s + h.vcpuUsed, 0)).toBe(machines * 2);

    // Quotas exact: the project's counters are its machines', the refused requests still pending.
    const project = await db.project.findUniqueOrThrow({ where: { id: e.projectId } });
    expect({ machines: project.usedMachines, vcpu: project.usedVcpu }).toEqual({ machines, vcpu: machines * 2 });
    expect(project.usedMonthlyCents).toBe(machines * offering.monthlyPriceCents);
    expect(await db.request.count({ where: { id: { in: requestIds }, status: "PENDING_APPROVAL" } })).toBe(OVER_QUOTA);

    await Promise.all(workers.slice(1).map((w) => w.stop()));
  });
});

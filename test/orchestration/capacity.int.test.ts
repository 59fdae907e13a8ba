// 100 approvals at once against 10 hosts, run by two worker processes: no host goes past its
// overcommit ratio, every machine is either placed (RUNNING) or FAILED with NO_CAPACITY and a
// reason in plain words, and the project's quota usage is exactly what the running machines hold.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db";
import { PrismaPg } from "@prisma/adapter-pg";
import type { Db } from "../../lib/db/client";
import { PrismaClient } from "../../lib/generated/prisma/client";
import { allMachinesIn, approve, makeEstate, spawnWorker, stopAllWorkers } from "./harness";

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

describe("100 approvals against 10 hosts", () => {
  // Two worker processes and 100 concurrent approvals: about 30 s on an idle 2-core machine,
  // close to a minute when it is loaded, so this test declares its own timeout (its waits end
  // inside it, see test/wait.ts).
  it("never overcommits a host, fails the rest with NO_CAPACITY and keeps quotas exact", { timeout: 150_000 }, async () => {
    // 4 cores x 4 = 16 vCPU and 16 GiB at 1:1 per host: memory allows 4 machines of 4 GiB each.
    const e = await makeEstate(db, { hosts: 10, vcpuTotal: 4, memoryMbTotal: 16384, diskSsdGbTotal: 1000 });
    // Hosts that must never be used: one in maintenance, one without SSD.
    const maint = await db.host.create({
      data: { providerId: e.providerId, name: "in-maintenance", state: "MAINTENANCE", vcpuTotal: 64, memoryMbTotal: 262144, diskSsdGbTotal: 8000 },
    });
    const hddOnly = await db.host.create({
      data: { providerId: e.providerId, name: "hdd-only", vcpuTotal: 64, memoryMbTotal: 262144, diskSsdGbTotal: 0, diskHddGbTotal: 8000 },
    });

    // All at once, each in its own transaction (a pool wide enough to really run them together),
    // while the two workers start: they find the queue full, or fill it up as they come.
    const wide: Db = new PrismaClient({ adapter: new PrismaPg({ connectionString: t.url, max: 40 }) });
    const [approvals] = await Promise.all([
      Promise.all(Array.from({ length: 100 }, () => approve(wide, e))).finally(() => wide.$disconnect()),
      spawnWorker(t.url),
      spawnWorker(t.url),
    ]);
    const machineIds = approvals.flatMap((a) => a.machineIds);
    expect(machineIds).toHaveLength(100);
    await allMachinesIn(db, machineIds, ["RUNNING", "FAILED"]);

    const machines = await db.machine.findMany({ where: { id: { in: machineIds } } });
    const running = machines.filter((m) => m.state === "RUNNING");
    const failed = machines.filter((m) => m.state === "FAILED");
    expect(running).toHaveLength(40);
    expect(failed).toHaveLength(60);
    for (const m of failed) {
      expect(m.failureCode).toBe("NO_CAPACITY");
      expect(m.failureReason).toContain("No host has room for 2 vCPU, 4 GiB of memory and 50 GB of SSD disk");
      expect(m.hostId).toBeNull();
      expect(m.releasedAt).not.toBeNull();
    }

    const hosts = await db.host.findMany({ where: { providerId: e.providerId }, include: { provider: true } });
    for (const h of hosts) {
      const on = running.filter((m) => m.hostId === h.id).length;
      expect(h.vcpuUsed).toBeLessThanOrEqual(Math.floor(h.vcpuTotal * h.provider.cpuOvercommit));
      expect(h.memoryMbUsed).toBeLessThanOrEqual(Math.floor(h.memoryMbTotal * h.provider.memoryOvercommit));
      expect(h.diskSsdGbUsed).toBeLessThanOrEqual(h.diskSsdGbTotal);
      expect([h.vcpuUsed, h.memoryMbUsed, h.diskSsdGbUsed]).toEqual([2 * on, 4096 * on, 50 * on]);
    }
    expect(hosts.find((h) => h.id === maint.id)!.vcpuUsed).toBe(0);
    expect(hosts.find((h) => h.id === hddOnly.id)!.vcpuUsed).toBe(0);

    const p = await db.project.findUniqueOrThrow({ where: { id: e.projectId } });
    expect([p.usedVcpu, p.usedMemoryMb, p.usedDiskSsdGb, p.usedDiskHddGb, p.usedMachines, p.usedMonthlyCents]).toEqual([
      80,
      40 * 4096,
      40 * 50,
      0,
      40,
      40 * 1000,
    ]);

    const requests = await db.request.groupBy({ by: ["status"], where: { id: { in: approvals.map((a) => a.requestId) } }, _count: true });
    expect(Object.fromEntries(requests.map((r) => [r.status, r._count]))).toEqual({ FULFILLED: 40, FAILED: 60 });
    expect(await db.simMachine.count({ where: { idempotencyKey: { in: machineIds } } })).toBe(40);
    const ops = await db.operation.groupBy({ by: ["status", "errorCode"], where: { machineId: { in: machineIds } }, _count: true });
    expect(ops.map((o) => [o.status, o.errorCode, o._count]).sort()).toEqual([
      ["FAILED", "NO_CAPACITY", 60],
      ["SUCCEEDED", null, 40],
    ]);
  });
});

// Chaos: 200 operations of every kind on a simulated estate, with random faults before and
// AFTER the side effect (created then timed out, stopped then failed, deleted then hung), and
// real worker processes SIGKILLed and restarted throughout. Then, once everything settled and
// a reconcile pass ran: zero orphaned simulator resources, zero duplicates, every counter equal
// to the sum of live reservations, every operation terminal, and each machine's operations run
// in the order they were requested. Prints the run's figures (a test, not a benchmark: no
// timing is asserted).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "../db";
import type { Db } from "../../lib/db/client";
import type { OperationKind } from "../../lib/generated/prisma/enums";
import { createOperation } from "../../lib/orchestration/create-operation";
import { reconcileCounters } from "../../lib/orchestration/reconcile-counters";
import { syncProviderInventory } from "../../lib/providers/sync-inventory";
import { AppError } from "../../lib/errors";
import { approve, makeEstate, spawnWorker, stopAllWorkers, waitFor, type Estate, type SpawnedWorker } from "./harness";

let t: TestDatabase;
let db: Db;

const WORKER_ENV = {
  ORQ_OPERATION_TIMEOUT_MS: "1200",
  ORQ_RETRY_BASE_MS: "100",
  ORQ_RETRY_MAX_MS: "600",
  ORQ_WORKER_HEARTBEAT_MS: "400",
  ORQ_WORKER_CONCURRENCY: "6",
  ORQ_LOG_LEVEL: "warn",
};

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
});

afterAll(async () => {
  await stopAllWorkers();
  await t?.drop();
});

/** A deterministic generator (mulberry32): the same seed gives the same run of choices. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY2: OperationKind[] = ["STOP", "START", "REBOOT", "RESIZE", "SNAPSHOT_CREATE", "SNAPSHOT_DELETE", "DELETE"];
/** What users mostly ask of a machine at rest (a delete now and then). */
const AT_REST: Record<"RUNNING" | "STOPPED", OperationKind[]> = {
  RUNNING: ["STOP", "STOP", "REBOOT", "REBOOT", "RESIZE", "SNAPSHOT_CREATE", "SNAPSHOT_CREATE", "SNAPSHOT_DELETE"],
  STOPPED: ["START", "START", "START", "RESIZE", "SNAPSHOT_CREATE", "SNAPSHOT_DELETE"],
};
const FAULT_OPS = ["provision", "start", "stop", "reboot", "destroy", "resize", "snapshot", "deleteSnapshot"];
const FAULT_MODES = ["AFTER_TRANSIENT", "AFTER_HANG", "AFTER_PERMANENT", "TRANSIENT", "HANG"];
const TERMINAL = ["SUCCEEDED", "FAILED", "CANCELLED"];

describe("chaos", () => {
  it("200 operations with faults after side effects and worker kills leave no orphan, no duplicate and exact counters", { timeout: 420_000 }, async () => {
    const random = rng(20261202);
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    const e: Estate = await makeEstate(db, { hosts: 6, vcpuTotal: 64, memoryMbTotal: 262_144, latencyMs: { default: 15, provision: 40 } });
    await db.provider.update({ where: { id: e.providerId }, data: { retryMaxAttempts: 4 } });
    const bigger = await db.offering.create({
      data: { name: `chaos-big-${randomUUID().slice(0, 6)}`, vcpu: 4, memoryMb: 8192, diskGb: 80, diskTier: "SSD", monthlyPriceCents: 2500 },
    });

    // Faults: random operations and modes, each striking a few calls.
    let faultCalls = 0;
    // Provisions that create the machine, then fail for good or hang: leftovers to clean up.
    for (const mode of ["AFTER_PERMANENT", "AFTER_PERMANENT", "AFTER_HANG"]) {
      faultCalls += 2;
      await db.simFault.create({ data: { providerId: e.providerId, operation: "provision", mode, remaining: 2, message: `chaos provision ${mode}` } });
    }
    for (let i = 0; i < 40; i++) {
      const remaining = 1 + Math.floor(random() * 3);
      faultCalls += remaining;
      await db.simFault.create({ data: { providerId: e.providerId, operation: pick(FAULT_OPS), mode: pick(FAULT_MODES), remaining, message: `chaos fault ${i}` } });
    }

    const workers: SpawnedWorker[] = [await spawnWorker(t.url, WORKER_ENV), await spawnWorker(t.url, WORKER_ENV)];
    let kills = 0;
    let killing = true;
    const killer = (async () => {
      while (killing) {
        await new Promise((r) => setTimeout(r, 1200 + random() * 1500));
        if (!killing) break;
        const i = Math.floor(random() * workers.length);
        await workers[i].kill();
        kills++;
        workers[i] = await spawnWorker(t.url, WORKER_ENV);
      }
    })();

    // Operations: provisions through approvals, then day-2 requests on random machines, as
    // users would send them (refusals in the wrong state are part of the game, not counted).
    let accepted = 0;
    let refused = 0;
    const machineIds: string[] = [];
    for (let r = 0; r < 10; r++) {
      const a = await approve(db, e, { quantity: 4 });
      machineIds.push(...a.machineIds);
      accepted += a.operationIds.length;
    }
    let refusedInARow = 0;
    while (accepted < 200) {
      // Machines all busy or deleted: a new request brings fresh ones.
      if (refusedInARow > 60) {
        const a = await approve(db, e, { quantity: 2 });
        machineIds.push(...a.machineIds);
        accepted += a.operationIds.length;
        refusedInARow = 0;
        continue;
      }
      // Mostly a machine at rest and an action that fits it; sometimes anything on anything
      // (a delete of a busy machine cancels what waits; the rest is refused).
      let id = pick(machineIds);
      let kind = pick(DAY2);
      if (random() < 0.8) {
        const rest = await db.machine.findMany({ where: { id: { in: machineIds }, state: { in: ["RUNNING", "STOPPED"] } }, select: { id: true, state: true } });
        if (rest.length) {
          const m = pick(rest);
          id = m.id;
          kind = random() < 0.02 ? "DELETE" : pick(AT_REST[m.state as "RUNNING" | "STOPPED"]);
        }
      } else if (kind === "DELETE" && random() < 0.5) {
        kind = "REBOOT";
      }
      try {
        await db.$transaction(async (tx) => {
          const m = await tx.machine.findUniqueOrThrow({ where: { id } });
          let params: Record<string, unknown> = {};
          if (kind === "RESIZE") {
            if (m.offeringId === bigger.id) throw new AppError("CONFLICT", "already big");
            params = { offeringId: bigger.id, to: { vcpu: 4, memoryMb: 8192, diskGb: 80, diskTier: "SSD", monthlyCents: 2500 } };
          }
          if (kind === "SNAPSHOT_CREATE") params = { name: `s-${randomUUID().slice(0, 6)}` };
          if (kind === "SNAPSHOT_DELETE") {
            const s = await tx.snapshot.findFirst({ where: { machineId: id } });
            if (!s) throw new AppError("CONFLICT", "no snapshot");
            params = { snapshotId: s.id };
          }
          await createOperation(tx, m, { kind, params });
        });
        accepted++;
        refusedInARow = 0;
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        refused++;
        refusedInARow++;
      }
      await new Promise((r) => setTimeout(r, 10 + random() * 40));
    }

    // Let the kills go on for a while, then settle with the workers left running.
    await waitFor(
      "most operations to end",
      async () => (await db.operation.count({ where: { status: { in: ["QUEUED", "RUNNING"] } } })) < 20,
      180_000,
      500,
    ).catch(() => null);
    killing = false;
    await killer;
    const settled = async () => (await db.operation.count({ where: { status: { notIn: [...TERMINAL] as ("SUCCEEDED" | "FAILED" | "CANCELLED")[] } } })) === 0;
    await waitFor("every operation to end", settled, 150_000, 300).catch(async (err) => {
      const stuck = await db.operation.findMany({ where: { status: { in: ["QUEUED", "RUNNING"] } }, orderBy: { seq: "asc" } });
      const jobs = await db.$queryRaw<object[]>`select key, run_at, attempts, max_attempts, locked_by, locked_at, last_error, payload from graphile_worker._private_jobs`;
      console.log("stuck operations", JSON.stringify(stuck.map((o) => ({ ...o, seq: String(o.seq) })), null, 1), "jobs", JSON.stringify(jobs, null, 1));
      throw err;
    });

    // A reconcile pass (the 5-minute sync), then the cleanups it queued.
    const pass = await syncProviderInventory(db, e.providerId, new Date(), { trigger: "chaos" });
    expect(pass.ok).toBe(true);
    await waitFor("cleanups to end", settled, 60_000, 300);
    const second = await syncProviderInventory(db, e.providerId, new Date(), { trigger: "chaos" });
    await waitFor("cleanups to end", settled, 60_000, 300);

    // Every operation terminal; each machine's operations run in request order.
    const ops = await db.operation.findMany({ where: { machineId: { in: machineIds } }, orderBy: { seq: "asc" } });
    expect(ops.filter((o) => !TERMINAL.includes(o.status))).toEqual([]);
    const byMachine = new Map<string, typeof ops>();
    for (const o of ops) byMachine.set(o.machineId, [...(byMachine.get(o.machineId) ?? []), o]);
    let outOfOrder = 0;
    for (const list of byMachine.values()) {
      const ran = list.filter((o) => o.startedAt && o.finishedAt);
      for (let i = 1; i < ran.length; i++) if (ran[i].startedAt! < ran[i - 1].finishedAt!) outOfOrder++;
    }
    expect(outOfOrder).toBe(0);

    // No machine left in a transitional state.
    const machines = await db.machine.findMany({ where: { id: { in: machineIds } } });
    expect(machines.filter((m) => !["RUNNING", "STOPPED", "FAILED", "DELETED"].includes(m.state)).map((m) => m.state)).toEqual([]);

    // Zero orphans, zero duplicates: the simulator holds exactly the live machines' resources.
    const sims = await db.simMachine.findMany({ where: { providerId: e.providerId } });
    const live = machines.filter((m) => m.state === "RUNNING" || m.state === "STOPPED" || (m.state === "FAILED" && m.externalRef));
    expect(sims.map((s) => s.id).sort()).toEqual(live.map((m) => m.externalRef).sort());
    expect(new Set(sims.map((s) => s.idempotencyKey)).size).toBe(sims.length);
    expect(sims.every((s) => s.creations === 1)).toBe(true);

    // Counters equal the sum of live reservations.
    const counters = await reconcileCounters(db, { repair: false, trigger: "chaos", correlationId: randomUUID() });
    expect(counters.drift).toEqual([]);

    const faultsLeft = (await db.simFault.findMany({ where: { providerId: e.providerId } })).reduce((n, f) => n + (f.remaining ?? 0), 0);
    const cleanups = ops.filter((o) => o.kind === "CLEANUP");
    const removedByCleanup = cleanups.filter((o) => (o.result as { removed?: string | null } | null)?.removed).length;
    const removedByPass = [...(pass.ok ? pass.reconcile : []), ...(second.ok ? second.reconcile : [])].filter((f) => f.done).length;
    const count = (s: string) => ops.filter((o) => o.status === s).length;
    console.log(
      `chaos: ${accepted} operations accepted (${refused} refused in the wrong state), ${ops.length} run incl. cleanups; ` +
        `${count("SUCCEEDED")} succeeded, ${count("FAILED")} failed, ${count("CANCELLED")} cancelled; ` +
        `${faultCalls - faultsLeft} of ${faultCalls} injected faulty calls struck; ${kills} worker SIGKILLs; ` +
        `orphans: ${cleanups.length} cleanups queued, ${removedByCleanup} resources removed by cleanup, ${removedByPass} found by the reconcile pass; ` +
        `${sims.length} resources left for ${live.length} live machines; counters drift 0`,
    );
  });
});

// Costs of a machine driven by a real worker process: the provision records where the
// project's policy placed it and why, and the ledger accrues exactly what the engine's
// operations say (powered from provision to stop, storage only while stopped, the new size
// from the resize, nothing after delete).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db";
import type { Db } from "../../lib/db/client";
import type { OperationKind } from "../../lib/generated/prisma/enums";
import { createOperation } from "../../lib/orchestration/create-operation";
import { accrueCosts } from "../../lib/costs/accrue-costs";
import { makeOffering } from "../factories";
import { hourlyModel, priceVersion } from "../cost-fixtures";
import { allMachinesIn, approve, makeEstate, spawnWorker, stopAllWorkers, waitFor } from "./harness";

let t: TestDatabase;
let db: Db;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  await spawnWorker(t.url);
});

afterAll(async () => {
  await stopAllWorkers();
  await t?.drop();
});

async function operate(machineId: string, kind: OperationKind, params: Record<string, string> = {}) {
  const op = await db.$transaction(async (tx) => {
    const m = await tx.machine.findUniqueOrThrow({ where: { id: machineId } });
    return createOperation(tx, m, { kind, params });
  });
  return waitFor(`${kind} to finish`, async () => {
    const o = await db.operation.findUniqueOrThrow({ where: { id: op.id } });
    return ["SUCCEEDED", "FAILED", "CANCELLED"].includes(o.status) ? o : null;
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("costs of a machine run by the worker", () => {
  it("records the placement and accrues exactly what its operations did", async () => {
    const e = await makeEstate(db, { hosts: 1, offering: { vcpu: 2, memoryMb: 4096, diskGb: 50, diskTier: "SSD" } });
    // 3 600 millicents a vCPU-hour and 36 a GB-hour: 1 millicent a vCPU-second, 0.01 a GB-second.
    await priceVersion(db, { providerId: e.providerId }, new Date("2020-01-01T00:00:00Z"), hourlyModel(3600, 36));
    const { machineIds } = await approve(db, e);
    const [id] = machineIds;
    await allMachinesIn(db, machineIds, ["RUNNING"]);

    const provision = await db.operation.findFirstOrThrow({ where: { machineId: id, kind: "PROVISION" } });
    const placement = (provision.result as { placement?: Record<string, unknown> }).placement;
    expect(placement).toMatchObject({ policy: "CHEAPEST", providerId: e.providerId, skipped: [] });
    expect(String(placement?.text)).toContain("the cheapest provider with room");

    await pause(1200);
    const stop = await operate(id, "STOP");
    await pause(1200);
    const start = await operate(id, "START");
    const bigger = await makeOffering(db, { vcpu: 4, memoryMb: 4096, diskGb: 80, diskTier: "SSD" });
    const resize = await operate(id, "RESIZE", { offeringId: bigger.id });
    expect(resize.status).toBe("SUCCEEDED");
    await pause(1200);
    const del = await operate(id, "DELETE");
    expect([stop.status, start.status, del.status]).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);

    await accrueCosts(db, { now: new Date(del.finishedAt!.getTime() + 3_600_000), lagMs: 0 });
    const s = (a: Date | null, b: Date | null) => (b!.getTime() - a!.getTime()) / 1000;
    const p0 = provision.finishedAt;
    // Powered: provision to stop (2 vCPU), start to resize (2 vCPU), resize to delete (4 vCPU).
    const compute = 2 * s(p0, stop.finishedAt) + 2 * s(start.finishedAt, resize.finishedAt) + 4 * s(resize.finishedAt, del.finishedAt);
    // Stored: 50 GB until the resize, 80 GB after it, until the delete.
    const storage = 0.5 * s(p0, resize.finishedAt) + 0.8 * s(resize.finishedAt, del.finishedAt);
    const rows = await db.costAccrual.findMany({ where: { machineId: id } });
    const sum = (k: "computeMillicents" | "storageMillicents") => rows.reduce((a, r) => a + Number(r[k]), 0);
    expect(Math.abs(sum("computeMillicents") - compute)).toBeLessThanOrEqual(1);
    expect(Math.abs(sum("storageMillicents") - storage)).toBeLessThanOrEqual(1);
    expect(rows.every((r) => r.providerId === e.providerId && r.projectId === e.projectId && r.ownerId === e.ownerId)).toBe(true);
    expect(rows.some((r) => r.offeringId === bigger.id)).toBe(true);
    expect(await db.costMeter.findUniqueOrThrow({ where: { machineId: id } })).toMatchObject({ live: false, powered: false, vcpu: 4, diskGb: 80 });
  });
});

// The accrual run against PostgreSQL with a clock the test moves: machines whose operations
// are written as the engine leaves them, accrued in several runs, across a stop, a start, a
// resize, a new price version and a delete.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import type { Db } from "../db/client";
import { addMember, makeOffering, makeProject, makeTemplate, makeUser } from "../../test/factories";
import { makeHost, makeProvider } from "../../test/machine-factories";
import { accrualRows, hourlyModel, priceVersion, resizeResult, succeeded } from "../../test/cost-fixtures";
import { reservationOf } from "../machines/reservation";
import { accrueCosts } from "./accrue-costs";

let t: TestDatabase;
let db: Db;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
});
afterAll(async () => {
  await t?.drop();
});

const T = (hhmm: string) => new Date(`2026-03-10T${hhmm}:00.000Z`);
const accrue = (hhmm: string) => accrueCosts(db, { now: T(hhmm), lagMs: 0 });

async function estate() {
  const provider = await makeProvider(db);
  const host = await makeHost(db, provider.id);
  const project = await makeProject(db);
  const owner = await makeUser(db);
  await addMember(db, project.id, owner.id);
  const offering = await makeOffering(db, { vcpu: 2, memoryMb: 4096, diskGb: 10, diskTier: "SSD" });
  const bigger = await makeOffering(db, { vcpu: 4, memoryMb: 4096, diskGb: 20, diskTier: "SSD" });
  const template = await makeTemplate(db);
  // 1 000 millicents a vCPU-hour, 100 a GB-hour: this machine costs 2 000 + 1 000 an hour.
  await priceVersion(db, { providerId: provider.id }, new Date("2026-03-01T00:00:00Z"), hourlyModel(1000, 100));
  return { provider, host, project, owner, offering, bigger, template };
}

async function machineIn(e: Awaited<ReturnType<typeof estate>>, opts: { state?: "RUNNING" | "REQUESTED" | "STOPPED"; createdAt?: Date } = {}) {
  return db.machine.create({
    data: {
      projectId: e.project.id,
      ownerId: e.owner.id,
      offeringId: e.offering.id,
      templateId: e.template.id,
      ...reservationOf(e.offering),
      name: `vm-${Math.random().toString(36).slice(2, 8)}`,
      state: opts.state ?? "REQUESTED",
      providerId: e.provider.id,
      hostId: e.host.id,
      createdAt: opts.createdAt ?? T("10:00"),
    },
  });
}

describe("cost accrual with a controllable clock", () => {
  it("follows provision, stop, start, resize, a price change and delete, hour by hour, in any number of runs", async () => {
    const e = await estate();
    const m = await machineIn(e);
    await succeeded(db, m.id, "PROVISION", T("10:30"), { placement: { providerId: e.provider.id } }, "REQUESTED");

    await accrue("10:45");
    expect(await accrualRows(db, m.id)).toEqual([{ hour: "10:00", compute: 500, storage: 250, powered: 900, live: 900, offeringId: e.offering.id }]);

    await succeeded(db, m.id, "STOP", T("12:00"));
    await succeeded(db, m.id, "START", T("13:00"), {}, "STOPPED");
    const to = reservationOf(e.bigger);
    await succeeded(db, m.id, "RESIZE", T("13:30"), resizeResult({ ...reservationOf(e.offering), offeringId: e.offering.id, hostId: e.host.id }, to, e.bigger.id));
    await db.machine.update({ where: { id: m.id }, data: { ...to, offeringId: e.bigger.id } });
    // Prices double from 14:00.
    await priceVersion(db, { providerId: e.provider.id }, T("14:00"), hourlyModel(2000, 200));

    await accrue("12:30");
    await succeeded(db, m.id, "DELETE", T("15:00"));
    await accrue("14:50");
    await accrue("17:00");

    expect(await accrualRows(db, m.id)).toEqual([
      { hour: "10:00", compute: 1000, storage: 500, powered: 1800, live: 1800, offeringId: e.offering.id },
      { hour: "11:00", compute: 2000, storage: 1000, powered: 3600, live: 3600, offeringId: e.offering.id },
      // Stopped: storage only.
      { hour: "12:00", compute: 0, storage: 1000, powered: 0, live: 3600, offeringId: e.offering.id },
      // Started at 13:00, twice the size from 13:30.
      { hour: "13:00", compute: 1000 + 2000, storage: 500 + 1000, powered: 3600, live: 3600, offeringId: e.bigger.id },
      // The new prices.
      { hour: "14:00", compute: 8000, storage: 4000, powered: 3600, live: 3600, offeringId: e.bigger.id },
    ]);
    const meter = await db.costMeter.findUniqueOrThrow({ where: { machineId: m.id } });
    expect(meter).toMatchObject({ live: false, powered: false, vcpu: 4 });
    expect((await db.costLedger.findUniqueOrThrow({ where: { id: 1 } })).accruedUntil?.toISOString()).toBe(T("17:00").toISOString());
  });

  it("never changes a past hour: a run again, or a price version dated in the past, leaves the ledger as it was", async () => {
    const e = await estate();
    const m = await machineIn(e);
    await succeeded(db, m.id, "PROVISION", T("10:00"), {}, "REQUESTED");
    await accrue("12:00");
    const before = await accrualRows(db, m.id);
    expect(before.map((r) => r.compute)).toEqual([2000, 2000]);
    await accrue("12:00");
    await priceVersion(db, { providerId: e.provider.id }, T("11:00"), hourlyModel(9999, 999));
    await accrue("12:00");
    expect(await accrualRows(db, m.id)).toEqual(before);
  });

  it("counts an interval once when two runs go at the same time", async () => {
    const e = await estate();
    const ms = await Promise.all(Array.from({ length: 6 }, () => machineIn(e)));
    for (const m of ms) await succeeded(db, m.id, "PROVISION", T("10:00"), {}, "REQUESTED");
    await Promise.all([accrueCosts(db, { now: T("13:00"), lagMs: 0, batchSize: 2 }), accrueCosts(db, { now: T("13:00"), lagMs: 0, batchSize: 3 })]);
    for (const m of ms) expect((await accrualRows(db, m.id)).map((r) => r.compute + r.storage)).toEqual([3000, 3000, 3000]);
  });

  it("prices a machine on its provider's kind book when the provider has none of its own", async () => {
    const e = await estate();
    const other = await makeProvider(db, { kind: "LXD" });
    await priceVersion(db, { providerKind: "LXD" }, new Date("2026-01-01T00:00:00Z"), hourlyModel(10, 1));
    const m = await machineIn(e);
    await db.machine.update({ where: { id: m.id }, data: { providerId: other.id } });
    await succeeded(db, m.id, "PROVISION", T("10:00"), {}, "REQUESTED");
    await accrue("11:00");
    expect((await accrualRows(db, m.id))[0]).toMatchObject({ compute: 20, storage: 10 });
  });

  it("accrues an imported machine (no provision) from its import, powered on when it ran", async () => {
    const e = await estate();
    const m = await machineIn(e, { state: "RUNNING", createdAt: T("10:30") });
    await accrue("11:00");
    expect(await accrualRows(db, m.id)).toEqual([{ hour: "10:00", compute: 1000, storage: 500, powered: 1800, live: 1800, offeringId: e.offering.id }]);
  });

  it("accrues nothing for a machine whose provision failed", async () => {
    const e = await estate();
    const m = await machineIn(e);
    await db.operation.create({ data: { machineId: m.id, kind: "PROVISION", status: "FAILED", params: { fromState: "REQUESTED" }, finishedAt: T("10:10") } });
    await db.machine.update({ where: { id: m.id }, data: { state: "FAILED" } });
    await accrue("12:00");
    expect(await accrualRows(db, m.id)).toEqual([]);
  });
});

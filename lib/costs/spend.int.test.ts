// The current hourly rate per project (dashboard, Costs report, forecast budget alerts) is
// counted in the database by what a price depends on; it must equal the sum over every live
// meter priced one by one, for mixed sizes, tiers, power states, providers with and without a
// price list, an instance-type list, meters no longer live, and a project filter.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import type { Db } from "../db/client";
import { makeOffering, makeProject, makeTemplate, makeUser } from "../../test/factories";
import { makeProvider } from "../../test/machine-factories";
import { hourlyModel, priceVersion } from "../../test/cost-fixtures";
import type { DiskTier } from "../generated/prisma/enums";
import { currentRates, currentTotalRate, projectSpend } from "./spend";
import { monthSpend } from "./month-spend";
import { loadPriceCatalog } from "./price-lists";
import { HOURS_PER_MONTH, listAt, monthlyCostOf } from "./pricing";

let t: TestDatabase;
let db: Db;
const now = new Date("2026-03-15T12:00:00.000Z");
let projects: string[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  const priced = await makeProvider(db);
  const cloud = await makeProvider(db, { kind: "EC2" });
  const unpriced = await makeProvider(db);
  await priceVersion(db, { providerId: priced.id }, new Date("2026-01-01T00:00:00.000Z"), hourlyModel(1000, 100, [{ kind: "MEMORY_GIB", millicents: 333 }, { kind: "HDD_GB", millicents: 7 }]));
  // A version not yet in force must not count.
  await priceVersion(db, { providerId: priced.id }, new Date("2026-04-01T00:00:00.000Z"), hourlyModel(99_999, 99_999));
  await priceVersion(db, { providerId: cloud.id }, new Date("2026-01-01T00:00:00.000Z"), [
    { kind: "INSTANCE", name: "t3.small", vcpu: 2, memoryMb: 2048, millicents: 2_100 },
    { kind: "INSTANCE", name: "t3.large", vcpu: 2, memoryMb: 8192, millicents: 8_300 },
    { kind: "SSD_GB", millicents: 11 },
  ]);
  const owner = await makeUser(db);
  const template = await makeTemplate(db);
  projects = [(await makeProject(db)).id, (await makeProject(db)).id, (await makeProject(db)).id];
  const sizes: { vcpu: number; memoryMb: number; diskGb: number; diskTier: DiskTier }[] = [
    { vcpu: 2, memoryMb: 2048, diskGb: 20, diskTier: "SSD" },
    { vcpu: 2, memoryMb: 6144, diskGb: 50, diskTier: "SSD" },
    { vcpu: 4, memoryMb: 8192, diskGb: 200, diskTier: "HDD" },
    { vcpu: 16, memoryMb: 65536, diskGb: 40, diskTier: "SSD" }, // no instance type fits it
  ];
  const offerings = await Promise.all(sizes.map((s) => makeOffering(db, s)));
  const providers = [priced.id, cloud.id, unpriced.id, null];
  let i = 0;
  // 3 projects x 4 sizes x 4 providers x (live powered, live stopped, not live), several of each.
  for (const projectId of projects)
    for (const [k, size] of sizes.entries())
      for (const providerId of providers)
        for (const [live, powered] of [[true, true], [true, false], [false, false]] as const)
          for (let copy = 0; copy < 1 + (i % 3); copy++) {
            i++;
            const m = await db.machine.create({
              data: { projectId, ownerId: owner.id, offeringId: offerings[k].id, templateId: template.id, name: `m-${i}`, ...size, monthlyCents: 0, state: "RUNNING", providerId },
            });
            await db.costMeter.create({
              data: { machineId: m.id, accruedUntil: now, live, powered, providerId, offeringId: offerings[k].id, ...size },
            });
          }
});

afterAll(async () => {
  await t?.drop();
});

/** The rate as it was computed before: every live meter priced on its own, summed in Node. */
async function oneByOne(projectIds: string[] | null): Promise<Map<string, number>> {
  const cat = await loadPriceCatalog(db);
  const meters = await db.costMeter.findMany({
    where: { live: true, ...(projectIds ? { machine: { projectId: { in: projectIds } } } : {}) },
    include: { machine: { select: { projectId: true } } },
  });
  const rates = new Map<string, number>();
  for (const m of meters) {
    if (!m.providerId) continue;
    const list = listAt(cat.listsFor(m.providerId), now);
    const cost = list ? monthlyCostOf(list, m) : null;
    if (!cost) continue;
    rates.set(m.machine.projectId, (rates.get(m.machine.projectId) ?? 0) + ((m.powered ? cost.compute : 0) + cost.storage) / HOURS_PER_MONTH);
  }
  return rates;
}

function expectSameRates(actual: Map<string, number>, expected: Map<string, number>) {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [id, rate] of expected) expect(actual.get(id)).toBeCloseTo(rate, 6);
}

describe("currentRates", () => {
  it("equals every live meter priced one by one, for all projects", async () => {
    const expected = await oneByOne(null);
    expect(expected.size).toBe(3);
    for (const r of expected.values()) expect(r).toBeGreaterThan(0);
    expectSameRates(await currentRates(db, null, now), expected);
  });

  it("counts only the projects asked for", async () => {
    const some = [projects[0], projects[2]];
    const rates = await currentRates(db, some, now);
    expectSameRates(rates, await oneByOne(some));
    expect(rates.has(projects[1])).toBe(false);
    expect((await currentRates(db, [], now)).size).toBe(0);
  });

  it("follows a meter that stops, is stopped or moves to another project", async () => {
    const [stop, power, move] = await db.costMeter.findMany({ where: { live: true, powered: true, providerId: { not: null } }, orderBy: { machineId: "asc" }, take: 3 });
    await db.costMeter.update({ where: { machineId: stop.machineId }, data: { live: false, powered: false } });
    await db.costMeter.update({ where: { machineId: power.machineId }, data: { powered: false } });
    const from = (await db.machine.findUniqueOrThrow({ where: { id: move.machineId } })).projectId;
    const target = projects.find((p) => p !== from)!;
    await db.machine.update({ where: { id: move.machineId }, data: { projectId: target } });
    expectSameRates(await currentRates(db, null, now), await oneByOne(null));
  });

  it("totals (the dashboard) equal the per-project figures summed", async () => {
    for (const ids of [null, [projects[1]], [projects[0], projects[2]]]) {
      const per = await currentRates(db, ids, now);
      expect(await currentTotalRate(db, ids, now)).toBeCloseTo([...per.values()].reduce((a, b) => a + b, 0), 6);
      const spend = await projectSpend(db, { projectIds: ids, timeZone: "UTC", now });
      const total = await monthSpend(db, ids, now);
      expect(total.forecastMillicents).toBeGreaterThan(0);
      expect(total.forecastMillicents).toBeCloseTo([...spend.byProject.values()].reduce((a, s) => a + s.forecast, 0), 3);
      expect(total.monthToDateMillicents).toBe([...spend.byProject.values()].reduce((a, s) => a + s.actual, 0));
    }
    expect(await monthSpend(db, [], now)).toEqual({ monthToDateMillicents: 0, forecastMillicents: 0 });
  });
});

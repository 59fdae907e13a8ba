// The daily rollup in the portal's time zone, and the demo's price books.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import type { Db } from "../db/client";
import { ctxFor, makeProject, makeUser } from "../../test/factories";
import { makeMachine } from "../../test/machine-factories";
import { hourlyModel, priceVersion, succeeded } from "../../test/cost-fixtures";
import { seedDemo } from "../../prisma/demo-data";
import { accrueCosts } from "./accrue-costs";
import { rollupCosts } from "./rollup-costs";
import { ledgerSums } from "./ledger-query";
import { compareProviders } from "./compare-providers";

let t: TestDatabase;
let db: Db;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
});
afterAll(async () => {
  await t?.drop();
});

describe("daily rollup", () => {
  it("sums by calendar day in the portal's time zone, once, and drops old hourly rows", async () => {
    const tz = "America/Sao_Paulo"; // UTC-3
    const owner = await makeUser(db);
    const project = await makeProject(db);
    const m = await makeMachine(db, { projectId: project.id, ownerId: owner.id, state: "REQUESTED" });
    await db.machine.update({ where: { id: m.id }, data: { createdAt: new Date("2026-03-09T12:00:00Z") } });
    await priceVersion(db, { providerId: m.providerId! }, new Date("2026-01-01T00:00:00Z"), hourlyModel(1000, 0));
    // Runs from 00:00 UTC on the 10th (21:00 on the 9th in São Paulo) for 24 hours.
    await succeeded(db, m.id, "PROVISION", new Date("2026-03-10T00:00:00Z"), {}, "REQUESTED");
    await succeeded(db, m.id, "DELETE", new Date("2026-03-11T00:00:00Z"));
    await accrueCosts(db, { now: new Date("2026-03-12T06:00:00Z"), lagMs: 0 });

    const r = await rollupCosts(db, { now: new Date("2026-03-12T06:00:00Z"), timeZone: tz, retentionDays: 90 });
    // The ledger reaches 03:00 on the 12th locally: the 9th to the 11th are complete.
    expect(r.days).toEqual(["2026-03-09", "2026-03-11"]);
    const daily = await db.costDaily.findMany({ where: { projectId: project.id }, orderBy: { day: "asc" } });
    expect(daily.map((d) => [d.day.toISOString().slice(0, 10), Number(d.computeMillicents)])).toEqual([
      ["2026-03-09", 3 * 2000],
      ["2026-03-10", 21 * 2000],
    ]);
    // A second run rolls up nothing again.
    expect((await rollupCosts(db, { now: new Date("2026-03-12T06:00:00Z"), timeZone: tz })).days).toBeNull();
    // The report reads the same from the rollup as from the hourly rows.
    const sums = await ledgerSums(db, { fromDay: "2026-03-01", toDay: "2026-03-31", projectIds: [project.id], timeZone: tz, by: ["day"] });
    expect(sums.map((s) => [s.keys.day, s.compute]).sort()).toEqual([
      ["2026-03-09", 6000],
      ["2026-03-10", 42000],
    ]);
    // Hourly rows older than the retention go once they are rolled up; the days stay.
    const pruned = await rollupCosts(db, { now: new Date("2026-03-12T06:00:00Z"), timeZone: tz, retentionDays: 1 });
    expect(pruned.pruned).toBe(24);
    expect(await db.costAccrual.count({ where: { machineId: m.id } })).toBe(0);
    const after = await ledgerSums(db, { fromDay: "2026-03-01", toDay: "2026-03-31", projectIds: [project.id], timeZone: tz, by: [] });
    expect(after[0].compute).toBe(48000);
  });
});

describe("demo price books", () => {
  it("price the same machine on every demo provider, the local simulator cheapest, and attach EC2 list prices to an EC2 provider added later", async () => {
    await seedDemo(db);
    const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@orquestra.local" } });
    const alice = await db.user.findUniqueOrThrow({ where: { email: "alice@orquestra.local" } });
    const offering = await db.offering.findUniqueOrThrow({ where: { name: "Medium SSD" } });
    const ubuntu = await db.template.findUniqueOrThrow({ where: { name: "Ubuntu 24.04 LTS" } });
    const lab = await db.template.findUniqueOrThrow({ where: { name: "BusyBox (lab image)" } });
    const web = await db.project.findUniqueOrThrow({ where: { slug: "web-platform" } });
    const ctx = await ctxFor(db, alice.id);

    const c = await compareProviders(ctx, { offeringId: offering.id, templateId: ubuntu.id, quantity: 1, projectId: web.id });
    expect(c.rows.map((r) => [r.name, r.perMachineCents, r.availability])).toEqual([
      ["Simulator (local)", 2640, "AVAILABLE"],
      ["Simulator (site B)", 3120, "AVAILABLE"],
    ]);
    expect(c.rows[0]).toMatchObject({ recommended: true, selectable: true, priceScope: "kind" });
    expect(c.rows[1]).toMatchObject({ recommended: false, selectable: true, priceScope: "provider" });

    const labRows = await compareProviders(ctx, { offeringId: offering.id, templateId: lab.id, quantity: 1 });
    expect(labRows.rows.map((r) => [r.name, r.perMachineCents])).toEqual([
      ["Docker (local Podman)", 2420],
      ["Simulator (local)", 2640],
      ["LXD (local)", 2700],
      ["Simulator (site B)", 3120],
      ["vSphere (local vcsim)", 5320],
    ]);

    // An EC2 provider registered later is priced by the EC2 book at once.
    const ec2 = await db.provider.create({ data: { name: "AWS eu-west-1", kind: "EC2", endpoint: "eu-west-1" } });
    await db.templateProviderRef.create({ data: { templateId: ubuntu.id, providerId: ec2.id, ref: "ami-0123" } });
    const withEc2 = await compareProviders(await ctxFor(db, admin.id), { offeringId: offering.id, templateId: ubuntu.id, quantity: 1 });
    // t3.medium: 0.0456 x 730 = 33.29, and 80 GB of gp3 at 0.088 = 7.04.
    expect(withEc2.rows.find((r) => r.providerId === ec2.id)).toMatchObject({ instanceType: "t3.medium", perMachineCents: 4033, priceScope: "kind", cloud: "public" });
  });
});

// Placement reads hosts from an index on the free fraction the database maintains per host
// (migration scale2_host_free_score). These tests pin that the maintained value follows every
// kind of write, that the indexed candidate query picks exactly what the pure ranking
// (placement.ts) picks over all hosts, and that concurrent placements never overcommit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db";
import { makeTemplate } from "../factories";
import { candidateHosts, placeAndReserve } from "../../lib/orchestration/place-machine";
import { rankHosts, type PlacementHost } from "../../lib/orchestration/placement";
import { releaseOnHost, reserveOnHost } from "../../lib/orchestration/host-capacity";
import type { Db } from "../../lib/db/client";
import type { PlacementPolicy } from "../../lib/generated/prisma/enums";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

/** The free fraction as placement.ts defines it (capacity = floor(total x ratio)), before any need. */
function expectedFree(h: { vcpuTotal: number; vcpuUsed: number; memoryMbTotal: number; memoryMbUsed: number }, dt: number, du: number, r: { c: number; m: number; d: number }) {
  if (dt <= 0) return null;
  const part = (total: number, used: number, ratio: number) => (Math.floor(total * ratio) - used) / Math.max(Math.floor(total * ratio), 1);
  return (part(h.vcpuTotal, h.vcpuUsed, r.c) + part(h.memoryMbTotal, h.memoryMbUsed, r.m) + part(dt, du, r.d)) / 3;
}

async function mismatches(db: Db): Promise<number> {
  const rows = await db.$queryRaw<{ n: number }[]>`
    select count(*)::int as n from "Host" h join "Provider" p on p.id = h."providerId"
    where h."freeSsd" is distinct from host_free(h."vcpuTotal", h."vcpuUsed", h."memoryMbTotal", h."memoryMbUsed", h."diskSsdGbTotal", h."diskSsdGbUsed", p."cpuOvercommit", p."memoryOvercommit", p."diskOvercommit")
       or h."freeHdd" is distinct from host_free(h."vcpuTotal", h."vcpuUsed", h."memoryMbTotal", h."memoryMbUsed", h."diskHddGbTotal", h."diskHddGbUsed", p."cpuOvercommit", p."memoryOvercommit", p."diskOvercommit")`;
  return rows[0].n;
}

// A small deterministic generator (no flaky orders).
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function provider(db: Db, name: string, policy: PlacementPolicy, ratios: { cpuOvercommit: number; memoryOvercommit: number; diskOvercommit: number }) {
  return db.provider.create({ data: { name, kind: "SIMULATOR", endpoint: "simulator://test", placementPolicy: policy, ...ratios } });
}

describe("the maintained free fraction", () => {
  it("follows inserts, reservations, releases, direct writes and the provider's ratios", async () => {
    const db = t.db;
    const p = await provider(db, "free-1", "SPREAD", { cpuOvercommit: 4, memoryOvercommit: 1.5, diskOvercommit: 1 });
    const r = { c: 4, m: 1.5, d: 1 };
    const h = await db.host.create({
      data: { providerId: p.id, name: "h1", vcpuTotal: 16, memoryMbTotal: 65536, diskSsdGbTotal: 1000, diskHddGbTotal: 0, vcpuUsed: 10, memoryMbUsed: 20000, diskSsdGbUsed: 300 },
    });
    const read = () => db.host.findUniqueOrThrow({ where: { id: h.id } });
    let row = await read();
    expect(row.freeSsd).toBeCloseTo(expectedFree(row, 1000, 300, r)!, 12);
    expect(row.freeHdd).toBeNull(); // no HDD on this host

    expect(await reserveOnHost(db, h.id, { vcpu: 6, memoryMb: 4096, diskSsdGb: 100, diskHddGb: 0 })).toBe(true);
    row = await read();
    expect(row.vcpuUsed).toBe(16);
    expect(row.freeSsd).toBeCloseTo(expectedFree(row, 1000, 400, r)!, 12);

    await releaseOnHost(db, h.id, { vcpu: 16, memoryMb: 24096, diskSsdGb: 400, diskHddGb: 0 });
    row = await read();
    expect(row.freeSsd).toBeCloseTo(1, 12);

    // The application never writes it; a write is recomputed from the usage.
    await db.host.update({ where: { id: h.id }, data: { freeSsd: 0.01, diskHddGbTotal: 500 } });
    row = await read();
    expect(row.freeSsd).toBeCloseTo(1, 12);
    expect(row.freeHdd).toBeCloseTo(1, 12);

    // A change of the provider's ratios recomputes every host of the provider.
    await db.host.update({ where: { id: h.id }, data: { vcpuUsed: 32 } });
    await db.provider.update({ where: { id: p.id }, data: { cpuOvercommit: 2 } });
    row = await read();
    expect(row.freeSsd).toBeCloseTo(expectedFree(row, 1000, 0, { ...r, c: 2 })!, 12);
    expect(await mismatches(db)).toBe(0);
  });
});

describe("candidates from the index", () => {
  it("are exactly the pure ranking's best hosts, for spread, pack, a provider order and a policy override", async () => {
    const db = t.db;
    const rnd = lcg(9);
    const template = await makeTemplate(db);
    const spread = await provider(db, "cand-spread", "SPREAD", { cpuOvercommit: 4, memoryOvercommit: 1, diskOvercommit: 1 });
    const pack = await provider(db, "cand-pack", "PACK", { cpuOvercommit: 2, memoryOvercommit: 1.25, diskOvercommit: 1.5 });
    const noTemplate = await provider(db, "cand-none", "SPREAD", { cpuOvercommit: 4, memoryOvercommit: 1, diskOvercommit: 1 });
    for (const p of [spread, pack]) await db.templateProviderRef.create({ data: { templateId: template.id, providerId: p.id, ref: "img" } });
    // Same totals within a provider (the index order before the machine is then the exact order
    // after it), different between providers; usage random, some hosts full, some not active.
    for (const [p, vcpu, mem, disk] of [[spread, 16, 65536, 2000], [pack, 32, 131072, 4000], [noTemplate, 16, 65536, 2000]] as const) {
      await db.host.createMany({
        data: Array.from({ length: 60 }, (_, i) => ({
          providerId: p.id,
          name: `${p.name}-${i}`,
          state: i % 11 === 0 ? ("MAINTENANCE" as const) : ("ACTIVE" as const),
          vcpuTotal: vcpu,
          memoryMbTotal: mem,
          diskSsdGbTotal: i % 13 === 0 ? 0 : disk,
          diskHddGbTotal: disk * 2,
          vcpuUsed: Math.floor(rnd() * vcpu * 2),
          memoryMbUsed: Math.floor(rnd() * mem * 1.1),
          diskSsdGbUsed: i % 13 === 0 ? 0 : Math.floor(rnd() * disk),
          diskHddGbUsed: Math.floor(rnd() * disk * 2),
        })),
      });
    }
    expect(await mismatches(db)).toBe(0);
    const all = await db.host.findMany({ where: { providerId: { in: [spread.id, pack.id] } }, include: { provider: true } });
    const asPlacement = (rank: string[] | null, hostPolicy: PlacementPolicy | null) =>
      all.map(
        (h): PlacementHost => ({
          ...h,
          providerStatus: h.provider.status,
          hasTemplate: true,
          cpuOvercommit: h.provider.cpuOvercommit,
          memoryOvercommit: h.provider.memoryOvercommit,
          diskOvercommit: h.provider.diskOvercommit,
          placementPolicy: hostPolicy ?? h.provider.placementPolicy,
          siblings: 0,
          providerRank: rank ? rank.indexOf(h.providerId) : 0,
        }),
      );

    const cases: { rank: string[] | null; hostPolicy: PlacementPolicy | null }[] = [
      { rank: null, hostPolicy: null },
      { rank: [pack.id, spread.id], hostPolicy: null },
      { rank: [spread.id, pack.id], hostPolicy: "PACK" },
      { rank: null, hostPolicy: "SPREAD" },
    ];
    let compared = 0;
    for (const tier of ["SSD", "HDD"] as const) {
      const need = { vcpu: 4, memoryMb: 16384, diskGb: 200, diskTier: tier };
      for (const c of cases) {
        const expected = rankHosts(asPlacement(c.rank, c.hostPolicy), need).map((h) => h.id);
        expect(expected.length).toBeGreaterThan(10);
        expect(expected.length).toBeLessThan(100); // some hosts do not fit: the filter is exercised
        const preference = { rank: c.rank, hostPolicy: c.hostPolicy };
        for (const limit of [5, 200]) {
          const got = (await candidateHosts(db, { templateId: template.id, need, preference }, limit)).map((h) => h.id);
          expect(got, `${tier} ${JSON.stringify(c)} limit ${limit}`).toEqual(expected.slice(0, limit));
          compared++;
        }
      }
    }
    expect(compared).toBe(16);

    // A need no host can take: nothing, not a host that does not fit.
    expect(await candidateHosts(db, { templateId: template.id, need: { vcpu: 1000, memoryMb: 1024, diskGb: 1, diskTier: "SSD" } }, 24)).toEqual([]);
  });
});

describe("concurrent placements", () => {
  it("50 at once on hosts with room for 40: 40 placed, none over its ratio, the free fraction exact", async () => {
    const db = t.db;
    const template = await makeTemplate(db);
    const p = await provider(db, "burst", "SPREAD", { cpuOvercommit: 2, memoryOvercommit: 1, diskOvercommit: 1 });
    await db.templateProviderRef.create({ data: { templateId: template.id, providerId: p.id, ref: "img" } });
    // 5 hosts x 32 vCPU (16 x 2): 8 machines of 4 vCPU each.
    await db.host.createMany({
      data: Array.from({ length: 5 }, (_, i) => ({ providerId: p.id, name: `burst-${i}`, vcpuTotal: 16, memoryMbTotal: 1_000_000, diskSsdGbTotal: 100_000 })),
    });
    const need = { vcpu: 4, memoryMb: 1024, diskGb: 10, diskTier: "SSD" as const };
    const results = await Promise.all(
      Array.from({ length: 50 }, () => db.$transaction((tx) => placeAndReserve(tx, { templateId: template.id, need, providerId: p.id }), { maxWait: 30_000, timeout: 30_000 })),
    );
    expect(results.filter(Boolean)).toHaveLength(40);
    const hosts = await db.host.findMany({ where: { providerId: p.id } });
    for (const h of hosts) {
      expect(h.vcpuUsed).toBe(32);
      expect(h.freeSsd).toBeCloseTo(expectedFree(h, 100_000, 80, { c: 2, m: 1, d: 1 })!, 12);
    }
    expect(await mismatches(db)).toBe(0);
  });
});

// Placement per project policy, against PostgreSQL, the way the worker places a new machine: the
// provider scope (the project's allowed providers under the request's target) ordered by the
// project's default provider, then its policy (priced from the price books in force), with why.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import type { Db } from "../db/client";
import type { ProjectPlacementPolicy, ProviderKind } from "../generated/prisma/enums";
import { makeProject, makeTemplate } from "../../test/factories";
import { hourlyModel, priceVersion } from "../../test/cost-fixtures";
import { placeInScope } from "../orchestration/place-in-scope";
import { providerScopeFor } from "../orchestration/provider-scope";

let t: TestDatabase;
let db: Db;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
});
afterAll(async () => {
  await t?.drop();
});

const need = { vcpu: 2, memoryMb: 4096, diskGb: 50, diskTier: "SSD" as const };
const NOW = new Date("2026-03-10T12:00:00Z");
let templateId: string;
let offeringId: string;
let seq = 0;

/** A provider with one host (room for `room` machines of `need`), offering the template, priced `vcpuRate` a vCPU-hour. */
async function provider(name: string, kind: ProviderKind, vcpuRate: number | null, opts: { room?: number; free?: number } = {}) {
  const p = await db.provider.create({ data: { name: `${name}-${++seq}`, kind, endpoint: "simulator://test" } });
  const room = opts.room ?? 10;
  // cpuOvercommit 4: vcpuTotal x 4 = room x 2 vCPU; `free` leaves that much more memory for spread/pack.
  await db.host.create({
    data: { providerId: p.id, name: `${p.name}-h`, vcpuTotal: Math.ceil((room * 2) / 4), memoryMbTotal: room * 4096 + (opts.free ?? 0), diskSsdGbTotal: room * 50 },
  });
  await db.templateProviderRef.create({ data: { templateId, providerId: p.id, ref: "img" } });
  if (kind === "EC2") await db.offeringProviderRef.create({ data: { offeringId, providerId: p.id, ref: "t3.medium" } });
  if (vcpuRate !== null) await priceVersion(db, { providerId: p.id }, new Date("2026-01-01T00:00:00Z"), hourlyModel(vcpuRate, 10));
  return p;
}

async function project(policy: ProjectPlacementPolicy) {
  const p = await makeProject(db);
  return db.project.update({ where: { id: p.id }, data: { placementPolicy: policy } });
}

const place = (projectId: string, requestId?: string) =>
  db.$transaction(async (tx) => {
    const m = { projectId, requestId: requestId ?? null, templateId, offeringId };
    return placeInScope(tx, { templateId, need, projectId, requestId: m.requestId, now: NOW }, await providerScopeFor(tx, m));
  });

describe("placement per project policy", () => {
  beforeEach(async () => {
    // A fresh template per test: only this test's providers offer it.
    templateId = (await makeTemplate(db)).id;
    offeringId = (await db.offering.create({ data: { name: `o-${++seq}`, vcpu: 2, memoryMb: 4096, diskGb: 50, diskTier: "SSD", monthlyPriceCents: 1 } })).id;
  });

  it("cheapest: the cheapest provider with room, then the next when it is full, with the reason", async () => {
    const dear = await provider("dear", "VSPHERE", 3000);
    const cheap = await provider("cheap", "DOCKER", 1000, { room: 1 });
    await provider("unpriced", "LXD", null);
    const p = await project("CHEAPEST");
    const first = await place(p.id);
    expect(first?.providerId).toBe(cheap.id);
    expect(first?.reason).toMatchObject({ policy: "CHEAPEST", providerName: cheap.name, skipped: [] });
    const second = await place(p.id);
    expect(second?.providerId).toBe(dear.id);
    expect(second?.reason?.skipped.map((s) => s.name)).toEqual([cheap.name]);
    expect(second?.reason?.text).toContain("had no room");
  });

  it("private-first: a dearer private provider before a cheaper public cloud, the cloud when private ones are full", async () => {
    const cloud = await provider("cloud", "EC2", 100);
    const priv = await provider("private", "LIBVIRT", 5000, { room: 1 });
    const p = await project("PRIVATE_FIRST");
    expect((await place(p.id))?.providerId).toBe(priv.id);
    expect((await place(p.id))?.providerId).toBe(cloud.id);
  });

  it("the project's allowed providers only: its default first, then the policy's order; nowhere once they are full", async () => {
    await provider("cheapest", "DOCKER", 1);
    const cheap = await provider("cheap", "LXD", 100, { room: 1 });
    const dear = await provider("dear", "VSPHERE", 9999, { room: 1 });
    const p = await project("CHEAPEST");
    await db.projectProvider.createMany({ data: [{ projectId: p.id, providerId: cheap.id }, { projectId: p.id, providerId: dear.id }] });
    await db.project.update({ where: { id: p.id }, data: { defaultProviderId: dear.id } });
    const first = await place(p.id);
    expect(first?.providerId).toBe(dear.id);
    expect(first?.reason).toMatchObject({ policy: "DEFAULT", skipped: [] });
    expect(first?.reason?.text).toContain("default provider");
    const second = await place(p.id);
    expect(second?.providerId).toBe(cheap.id);
    expect(second?.reason).toMatchObject({ policy: "CHEAPEST" });
    expect(second?.reason?.skipped.map((s) => s.name)).toEqual([dear.name]);
    expect(await place(p.id)).toBeNull();
  });

  it("spread and pack: by free room across providers, whatever the price", async () => {
    const roomy = await provider("roomy", "VSPHERE", 9999, { room: 10, free: 1 << 20 });
    const tight = await provider("tight", "DOCKER", 1, { room: 1 });
    expect((await place((await project("SPREAD")).id))?.providerId).toBe(roomy.id);
    expect((await place((await project("PACK")).id))?.providerId).toBe(tight.id);
  });

  it("a request targeting one provider (placement PROVIDER) overrides the policy", async () => {
    await provider("cheap", "DOCKER", 1);
    const chosen = await provider("chosen", "VSPHERE", 9999);
    const p = await project("CHEAPEST");
    const owner = await db.user.create({ data: { email: `u${seq}@t.local`, name: "U", passwordHash: "x" } });
    const request = await db.request.create({
      data: { projectId: p.id, requesterId: owner.id, offeringId, templateId, quantity: 1, names: ["a"], monthlyCostCents: 1, placementScope: "PROVIDER", placementProviderId: chosen.id },
    });
    const placed = await place(p.id, request.id);
    expect(placed?.providerId).toBe(chosen.id);
    expect(placed?.reason?.policy).toBe("CHOSEN");
  });

  it("a price version not yet in force does not count", async () => {
    const a = await provider("a", "DOCKER", 1000);
    const b = await provider("b", "LXD", 2000);
    // b becomes the cheaper tomorrow.
    await priceVersion(db, { providerId: b.id }, new Date("2026-03-11T00:00:00Z"), hourlyModel(10, 10));
    expect((await place((await project("CHEAPEST")).id))?.providerId).toBe(a.id);
  });
});

// The one-statement read of what placement needs (placement-inputs.ts) against the reads it
// replaced (providerScopeFor + placementPreference, still used elsewhere): the same scope, the
// same price lists (exact instants: the timestamps are stored without a time zone), the same
// provider order and prices for every policy and target. And no cache: a price version added
// after the approval is what the provision sees, as before.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import type { Db, Tx } from "../db/client";
import type { PlacementScope, ProjectPlacementPolicy, ProviderKind, ProviderStatus } from "../generated/prisma/enums";
import { makeProject, makeTemplate, makeUser } from "../../test/factories";
import { hourlyModel, priceVersion } from "../../test/cost-fixtures";
import { loadPlacementInputs, scopeFromInputs } from "./placement-inputs";
import { providerScopeFor } from "./provider-scope";
import { placeNewMachine } from "./place-in-scope";
import { placementPreference, preferenceFrom } from "../costs/placement-preference";
import { loadPriceCatalog } from "../costs/price-lists";

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
let seq = 0;

async function estate() {
  const templateId = (await makeTemplate(db)).id;
  const offeringId = (await db.offering.create({ data: { name: `o-${++seq}`, vcpu: 2, memoryMb: 4096, diskGb: 50, diskTier: "SSD", monthlyPriceCents: 1 } })).id;
  const provider = async (name: string, kind: ProviderKind, opts: { status?: ProviderStatus; template?: boolean; size?: boolean } = {}) => {
    const p = await db.provider.create({ data: { name: `${name}-${++seq}`, kind, endpoint: "simulator://test", status: opts.status ?? "ACTIVE" } });
    await db.host.create({ data: { providerId: p.id, name: `${p.name}-h`, vcpuTotal: 16, memoryMbTotal: 65536, diskSsdGbTotal: 2000 } });
    if (opts.template !== false) await db.templateProviderRef.create({ data: { templateId, providerId: p.id, ref: "img" } });
    if (opts.size) await db.offeringProviderRef.create({ data: { offeringId, providerId: p.id, ref: "t3.medium" } });
    return p;
  };
  const own = await provider("own", "VSPHERE");
  const byKind = await provider("kind", "HYPERV");
  const cloud = await provider("cloud", "EC2", { size: true });
  const cloudNoSize = await provider("cloud-nosize", "EC2");
  const unpriced = await provider("unpriced", "LXD");
  const disabled = await provider("disabled", "LIBVIRT", { status: "DISABLED" });
  const noTemplate = await provider("notemplate", "LIBVIRT", { template: false });
  // Own book with a past version, the one in force, and one not yet in force (at 12:00:00.500
  // UTC: an instant a local-time reading of the timestamps would shift).
  await priceVersion(db, { providerId: own.id }, new Date("2026-01-01T00:00:00Z"), hourlyModel(5000, 10));
  await priceVersion(db, { providerId: own.id }, new Date("2026-02-01T08:30:00.250Z"), hourlyModel(2500, 10));
  await priceVersion(db, { providerId: own.id }, new Date("2026-03-10T12:00:00.500Z"), hourlyModel(100, 1));
  // Every HYPERV provider's book; EC2 priced by instance type.
  if (!(await db.priceBook.findFirst({ where: { providerKind: "HYPERV" } }))) {
    await priceVersion(db, { providerKind: "HYPERV" }, new Date("2026-01-01T00:00:00Z"), hourlyModel(2000, 10));
  }
  await priceVersion(db, { providerId: cloud.id }, new Date("2026-01-01T00:00:00Z"), [
    { kind: "INSTANCE", name: "t3.medium", vcpu: 2, memoryMb: 4096, millicents: 3000 },
    { kind: "SSD_GB", millicents: 5 },
  ]);
  const requester = await makeUser(db);
  return { templateId, offeringId, requester, providers: { own, byKind, cloud, cloudNoSize, unpriced, disabled, noTemplate } };
}

type Estate = Awaited<ReturnType<typeof estate>>;

async function request(e: Estate, projectId: string, scope: PlacementScope, providerId: string | null = null) {
  return db.request.create({
    data: { projectId, requesterId: e.requester.id, offeringId: e.offeringId, templateId: e.templateId, quantity: 1, names: [`vm-${++seq}`], monthlyCostCents: 1, placementScope: scope, placementProviderId: providerId },
  });
}

/** Both ways, in one transaction: the scope, and the policy's order and prices. */
async function bothWays(tx: Tx, m: { projectId: string; requestId: string | null; templateId: string; offeringId: string }, now: Date) {
  const oldScope = await providerScopeFor(tx, m);
  const inputs = await loadPlacementInputs(tx, m);
  const newScope = scopeFromInputs(inputs, m);
  const chosenProviderId = oldScope.choice.scope === "PROVIDER" ? (oldScope.choice.providerId ?? null) : null;
  const old = await placementPreference(tx, { projectId: m.projectId, templateId: m.templateId, need, now, providerIds: oldScope.ids, preferredProviderId: oldScope.preferred, chosenProviderId });
  const ids = new Set(newScope.ids);
  const fresh = preferenceFrom(inputs.project.placementPolicy, inputs.providers.filter((p) => ids.has(p.id)), inputs.catalog, {
    need,
    now,
    preferredProviderId: newScope.preferred,
    chosenProviderId,
  });
  const byId = <T extends { providerId: string }>(xs: T[]) => [...xs].sort((a, b) => (a.providerId < b.providerId ? -1 : 1));
  return { oldScope, newScope, old: { pref: old.pref, offers: byId(old.offers) }, fresh: { pref: fresh.pref, offers: byId(fresh.offers) }, inputs };
}

describe("placement inputs in one statement", () => {
  it("the same scope, price lists and provider order as the reads they replace, for every policy and target", async () => {
    const e = await estate();
    const { own, byKind, cloud, cloudNoSize, unpriced, disabled, noTemplate } = e.providers;
    const now = new Date("2026-03-10T12:00:00.499Z");
    const all = [own, byKind, cloud, cloudNoSize, unpriced, disabled, noTemplate];
    const projects = [
      await makeProject(db),
      await makeProject(db),
    ];
    // The second project lists its providers, with a default.
    await db.projectProvider.createMany({ data: [own, byKind, cloud, unpriced].map((p) => ({ projectId: projects[1].id, providerId: p.id })) });
    await db.project.update({ where: { id: projects[1].id }, data: { defaultProviderId: byKind.id } });
    let compared = 0;
    for (const project of projects) {
      for (const policy of ["CHEAPEST", "PRIVATE_FIRST", "SPREAD", "PACK"] as ProjectPlacementPolicy[]) {
        await db.project.update({ where: { id: project.id }, data: { placementPolicy: policy } });
        const requests = [
          null,
          await request(e, project.id, "AUTO"),
          await request(e, project.id, "PRIVATE"),
          await request(e, project.id, "PROVIDER", cloud.id),
          await request(e, project.id, "PROVIDER", disabled.id),
        ];
        for (const r of requests) {
          const m = { projectId: project.id, requestId: r?.id ?? null, templateId: e.templateId, offeringId: e.offeringId };
          const got = await db.$transaction((tx) => bothWays(tx, m, now));
          expect(got.newScope).toEqual(got.oldScope);
          expect(got.fresh).toEqual(got.old);
          compared++;
        }
      }
    }
    expect(compared).toBe(40);

    // The price lists themselves: every provider's, version by version, to the millisecond.
    const { inputs } = await db.$transaction((tx) => bothWays(tx, { projectId: projects[0].id, requestId: null, templateId: e.templateId, offeringId: e.offeringId }, now));
    const catalog = await loadPriceCatalog(db);
    const norm = (lists: readonly { versionId: string; effectiveFrom: Date; items: readonly { kind: string; name: string }[] }[]) =>
      lists.map((l) => ({ ...l, items: [...l.items].sort((a, b) => (a.kind + a.name < b.kind + b.name ? -1 : 1)) }));
    for (const p of all) expect(norm(inputs.catalog.listsFor(p.id))).toEqual(norm(catalog.listsFor(p.id)));
    expect(inputs.catalog.listsFor(own.id).map((l) => l.effectiveFrom.toISOString())).toEqual([
      "2026-01-01T00:00:00.000Z",
      "2026-02-01T08:30:00.250Z",
      "2026-03-10T12:00:00.500Z",
    ]);
    expect(inputs.catalog.bookFor(byKind.id)?.scope).toBe("kind");
    // Sanity of what was compared: the allowed list, the default first, the disabled and the
    // template-less providers never in scope, the cloud without a size only where sizes are not needed.
    const scoped = await db.$transaction((tx) => bothWays(tx, { projectId: projects[1].id, requestId: null, templateId: e.templateId, offeringId: e.offeringId }, now));
    expect(new Set(scoped.newScope.ids)).toEqual(new Set([own.id, byKind.id, cloud.id, unpriced.id]));
    expect(scoped.newScope.preferred).toBe(byKind.id);
  });

  it("a missing project is an error, as before; a missing request places anywhere in the project's scope", async () => {
    const e = await estate();
    const m = { projectId: "00000000-0000-4000-8000-000000000000", requestId: null, templateId: e.templateId, offeringId: e.offeringId };
    await expect(db.$transaction((tx) => loadPlacementInputs(tx, m))).rejects.toThrow(/not found/);
    const p = await makeProject(db);
    const inputs = await db.$transaction((tx) => loadPlacementInputs(tx, { projectId: p.id, requestId: "00000000-0000-4000-8000-000000000001" }));
    expect(inputs.choice).toEqual({ scope: "AUTO", providerId: null });
  });

  it("no cache: a price changed after the approval decides the provision (read when placing)", async () => {
    const e = await estate();
    const { own, byKind } = e.providers;
    const project = await makeProject(db);
    await db.projectProvider.createMany({ data: [own, byKind].map((p) => ({ projectId: project.id, providerId: p.id })) });
    await db.project.update({ where: { id: project.id }, data: { placementPolicy: "CHEAPEST" } });
    const r = await request(e, project.id, "AUTO");
    const machine = async () =>
      db.machine.create({
        data: {
          projectId: project.id, requestId: r.id, ownerId: e.requester.id, offeringId: e.offeringId, templateId: e.templateId,
          name: `vm-${++seq}`, vcpu: 2, memoryMb: 4096, diskGb: 50, diskTier: "SSD", monthlyCents: 1,
        },
      });
    const place = async (now: Date) => {
      const m = await machine();
      return db.$transaction((tx) => placeNewMachine(tx, m, need, now));
    };
    // Before the change: the kind-wide HYPERV book (2000) beats the own book in force (2500).
    const t1 = new Date("2026-03-01T00:00:00Z");
    const first = await place(t1);
    expect(first.placement?.providerId).toBe(byKind.id);
    expect(first.placement?.reason).toMatchObject({ policy: "CHEAPEST", providerId: byKind.id });
    // The kind's book goes up; the next machine of the same request sees it at once.
    await priceVersion(db, { providerKind: "HYPERV" }, new Date("2026-03-01T00:00:01Z"), hourlyModel(9000, 10));
    const second = await place(new Date("2026-03-01T00:00:02Z"));
    expect(second.placement?.providerId).toBe(own.id);
    expect(second.placement?.reason).toMatchObject({ policy: "CHEAPEST", providerId: own.id, skipped: [] });
    expect(second.placement?.reason?.monthly).toBeLessThan(first.placement!.reason!.monthly! * 9000 / 2000);
  });
});

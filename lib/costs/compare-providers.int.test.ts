// The price comparison at order time: ordering by price, capacity and availability per
// provider, the project's policy pick and choice, and the requester's choice at submission.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import type { Db } from "../db/client";
import type { ProviderKind, ProviderStatus } from "../generated/prisma/enums";
import { addMember, ctxFor, makeOffering, makeProject, makeTemplate, makeUser } from "../../test/factories";
import { hourlyModel, priceVersion } from "../../test/cost-fixtures";
import { submitRaw, uniqueName } from "../requests/testing";
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

const NOW = new Date("2026-03-10T12:00:00Z");
let seq = 0;

describe("price comparison", () => {
  it("lists every provider that offers the template, cheapest first, with its room for all the machines", async () => {
    const template = await makeTemplate(db);
    const other = await makeTemplate(db);
    // 2 vCPU, 4 GiB, 50 GB SSD.
    const offering = await makeOffering(db, { vcpu: 2, memoryMb: 4096, diskGb: 50, diskTier: "SSD" });
    const mk = async (name: string, kind: ProviderKind, opts: { rate?: number | null; room?: number; status?: ProviderStatus; ssd?: boolean; tpl?: string; instances?: boolean } = {}) => {
      const p = await db.provider.create({ data: { name: `${name}-${++seq}`, kind, endpoint: "x", status: opts.status ?? "ACTIVE", cpuOvercommit: 1 } });
      const room = opts.room ?? 10;
      await db.host.create({
        data: { providerId: p.id, name: `${p.name}-h`, vcpuTotal: room * 2, memoryMbTotal: room * 4096 + 100, diskSsdGbTotal: opts.ssd === false ? 0 : room * 50 + 10, diskHddGbTotal: opts.ssd === false ? 5000 : 0 },
      });
      await db.templateProviderRef.create({ data: { templateId: opts.tpl ?? template.id, providerId: p.id, ref: "img" } });
      if (opts.instances) {
        await priceVersion(db, { providerId: p.id }, new Date("2026-01-01T00:00:00Z"), [{ kind: "INSTANCE", name: "tiny", vcpu: 1, memoryMb: 1024, millicents: 1 }]);
      } else if (opts.rate !== null) {
        await priceVersion(db, { providerId: p.id }, new Date("2026-01-01T00:00:00Z"), hourlyModel(opts.rate ?? 1000, 10));
      }
      return p;
    };
    const unavailable = await mk("down", "VSPHERE", { rate: 100, status: "UNAVAILABLE" });
    const full = await mk("full", "DOCKER", { rate: 200, room: 0 });
    const partial = await mk("partial", "LXD", { rate: 300, room: 2 });
    const ok = await mk("ok", "LIBVIRT", { rate: 400, room: 5 });
    const hddOnly = await mk("hdd-only", "LIBVIRT", { rate: 500, ssd: false });
    const unpriced = await mk("unpriced", "SIMULATOR", { rate: null });
    const tooSmall = await mk("cloud", "EC2", { instances: true });
    await mk("disabled", "DOCKER", { rate: 1, status: "DISABLED" });
    await mk("other-template", "DOCKER", { rate: 1, tpl: other.id });

    const member = await makeUser(db);
    const project = await makeProject(db);
    await db.project.update({ where: { id: project.id }, data: { providerChoice: false } });
    await addMember(db, project.id, member.id, "MEMBER");
    const ctx = await ctxFor(db, member.id, () => NOW);
    const c = await compareProviders(ctx, { offeringId: offering.id, templateId: template.id, quantity: 3, projectId: project.id });

    expect(c.rows.map((r) => r.providerId)).toEqual([unavailable.id, full.id, partial.id, ok.id, hddOnly.id, tooSmall.id, unpriced.id]);
    const by = Object.fromEntries(c.rows.map((r) => [r.providerId, r]));
    expect(by[unavailable.id].availability).toBe("UNAVAILABLE");
    expect(by[full.id]).toMatchObject({ availability: "FULL", fits: 0 });
    expect(by[partial.id]).toMatchObject({ availability: "PARTIAL", fits: 2 });
    expect(by[ok.id]).toMatchObject({ availability: "AVAILABLE", fits: 5, recommended: true });
    expect(by[hddOnly.id].availability).toBe("NO_DISK_TIER");
    expect(by[unpriced.id]).toMatchObject({ unpriced: "NO_PRICE_BOOK", totalCents: null, availability: "AVAILABLE" });
    expect(by[tooSmall.id]).toMatchObject({ unpriced: "NO_INSTANCE_TYPE", cloud: "public" });
    // 400 millicents a vCPU-hour x 2 + 10 a GB-hour x 50 = 1 300 an hour; x 730 = 949 000 a month; x 3.
    expect(by[ok.id]).toMatchObject({ perMachineCents: 949, totalCents: 2847, computeCents: 1752, storageCents: 1095 });
    // The project does not let members choose.
    expect(c.rows.every((r) => !r.selectable)).toBe(true);

    // With choice on, the providers with room for all three may be picked.
    await db.project.update({ where: { id: project.id }, data: { providerChoice: true } });
    const chooser = await compareProviders(ctx, { offeringId: offering.id, templateId: template.id, quantity: 3, projectId: project.id });
    expect(chooser.rows.filter((r) => r.selectable).map((r) => r.providerId).sort()).toEqual([ok.id, unpriced.id].sort());

    // A project's allow-list limits the providers; its default provider is picked before the cheapest.
    await db.projectProvider.createMany({ data: [{ projectId: project.id, providerId: ok.id }, { projectId: project.id, providerId: unpriced.id }] });
    const listed = await compareProviders(ctx, { offeringId: offering.id, templateId: template.id, quantity: 3, projectId: project.id });
    expect(listed.rows.filter((r) => r.allowed).map((r) => r.providerId).sort()).toEqual([ok.id, unpriced.id].sort());
    expect(listed.rows.filter((r) => r.selectable).map((r) => r.providerId).sort()).toEqual([ok.id, unpriced.id].sort());
    expect(listed.rows.find((r) => r.recommended)?.providerId).toBe(ok.id);
    await db.project.update({ where: { id: project.id }, data: { defaultProviderId: unpriced.id } });
    const withDefault = await compareProviders(ctx, { offeringId: offering.id, templateId: template.id, quantity: 3, projectId: project.id });
    expect(withDefault.project).toMatchObject({ defaultProviderId: unpriced.id, canChoose: true });
    expect(withDefault.rows.find((r) => r.recommended)?.providerId).toBe(unpriced.id);

    // Quantity changes the room check.
    const one = await compareProviders(ctx, { offeringId: offering.id, templateId: template.id, quantity: 1 });
    expect(one.rows.find((r) => r.providerId === partial.id)?.availability).toBe("AVAILABLE");
  });

  it("hides projects the actor cannot see, and checks the requester's choice at submission", async () => {
    const template = await makeTemplate(db);
    const offering = await makeOffering(db);
    const a = await db.provider.create({ data: { name: `a-${++seq}`, kind: "DOCKER", endpoint: "x" } });
    const b = await db.provider.create({ data: { name: `b-${++seq}`, kind: "LXD", endpoint: "x" } });
    await db.templateProviderRef.create({ data: { templateId: template.id, providerId: a.id, ref: "img" } });
    const member = await makeUser(db);
    const project = await makeProject(db);
    await db.project.update({ where: { id: project.id }, data: { providerChoice: false } });
    await addMember(db, project.id, member.id, "MEMBER");
    const stranger = await ctxFor(db, (await makeUser(db)).id, () => NOW);
    await expect(compareProviders(stranger, { offeringId: offering.id, templateId: template.id, quantity: 1, projectId: project.id })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const ctx = await ctxFor(db, member.id, () => NOW);
    const base = { projectId: project.id, offeringId: offering.id, templateId: template.id, quantity: 1 };
    // A provider picked from the comparison is placement PROVIDER; the project may keep that
    // choice from its members (providerChoice off), not from its approvers.
    await db.project.update({ where: { id: project.id }, data: { providerChoice: false } });
    await expect(submitRaw(ctx, { ...base, name: uniqueName(), placement: "PROVIDER", providerId: a.id })).rejects.toMatchObject({
      details: { fields: { placement: ["providerChoiceOff"] } },
    });
    const approver = await makeUser(db);
    await addMember(db, project.id, approver.id, "APPROVER");
    const byApprover = await submitRaw(await ctxFor(db, approver.id, () => NOW), { ...base, name: uniqueName(), placement: "PROVIDER", providerId: a.id });
    expect(await db.request.findUniqueOrThrow({ where: { id: byApprover.id } })).toMatchObject({ placementScope: "PROVIDER", placementProviderId: a.id });
    await db.project.update({ where: { id: project.id }, data: { providerChoice: true } });
    await expect(submitRaw(ctx, { ...base, name: uniqueName(), placement: "PROVIDER", providerId: b.id })).rejects.toMatchObject({
      details: { fields: { placement: ["noProviderForChoice"] } },
    });
    const ok = await submitRaw(ctx, { ...base, name: uniqueName(), placement: "PROVIDER", providerId: a.id });
    expect(await db.request.findUniqueOrThrow({ where: { id: ok.id } })).toMatchObject({ placementScope: "PROVIDER", placementProviderId: a.id });
    const none = await submitRaw(ctx, { ...base, name: uniqueName() });
    expect(await db.request.findUniqueOrThrow({ where: { id: none.id } })).toMatchObject({ placementScope: "AUTO", placementProviderId: null });
  });
});

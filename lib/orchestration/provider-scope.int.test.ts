// One catalogue across clouds, against a real database: which providers a project may use and
// its default, the request's placement target, offering sizes on clouds that sell them, and
// placement honouring all of it; plus deleting a provider nothing runs on.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeOffering, makeProject, makeTemplate, makeUser, TEST_RESERVATION } from "../../test/factories";
import type { Db } from "../db/client";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import type { ProviderKind } from "../generated/prisma/enums";
import { submitRequest } from "../requests/submit-request";
import { setProjectProviders } from "../projects/set-project-providers";
import { setOfferingSizes } from "../providers/set-offering-sizes";
import { deleteProvider } from "../providers/delete-provider";
import { emptyScopeReason, providerScopeFor } from "./provider-scope";
import { placeInScope } from "./place-in-scope";

let t: TestDatabase;
let db: Db;
let admin: Ctx;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  admin = await ctxFor(db, (await makeUser(db, { role: "ADMIN" })).id);
});
afterAll(async () => {
  await t?.drop();
});

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

async function provider(kind: ProviderKind, opts: { vcpu?: number } = {}) {
  const tag = randomUUID().slice(0, 8);
  const p = await db.provider.create({ data: { name: `${kind.toLowerCase()}-${tag}`, kind, endpoint: "", status: "ACTIVE" } });
  const host = await db.host.create({
    data: { providerId: p.id, name: `h-${tag}`, externalRef: `h-${tag}`, vcpuTotal: opts.vcpu ?? 16, memoryMbTotal: 65536, diskSsdGbTotal: 2000 },
  });
  return { ...p, hostId: host.id };
}

/** Two private hypervisors, one EC2 region; a template on all three; O1 sized on EC2, O2 not. */
async function estate() {
  const [simA, simB, ec2] = [await provider("SIMULATOR"), await provider("SIMULATOR"), await provider("EC2")];
  const template = await makeTemplate(db);
  for (const p of [simA, simB, ec2]) await db.templateProviderRef.create({ data: { templateId: template.id, providerId: p.id, ref: `image-${p.name}` } });
  const o1 = await makeOffering(db, { vcpu: 2, memoryMb: 4096, diskGb: 50 });
  const o2 = await makeOffering(db, { vcpu: 2, memoryMb: 4096, diskGb: 50 });
  await db.offeringProviderRef.create({ data: { offeringId: o1.id, providerId: ec2.id, ref: "t3.medium" } });
  const project = await makeProject(db);
  const member = await makeUser(db);
  await addMember(db, project.id, member.id, "MEMBER");
  return { simA, simB, ec2, template, o1, o2, project, member: await ctxFor(db, member.id) };
}

async function machine(e: Awaited<ReturnType<typeof estate>>, offeringId: string, request?: { scope: "AUTO" | "PRIVATE" | "PROVIDER"; providerId?: string }) {
  const r = request
    ? await db.request.create({
        data: {
          projectId: e.project.id,
          requesterId: e.member.actor.id,
          offeringId,
          templateId: e.template.id,
          quantity: 1,
          names: [`m-${randomUUID().slice(0, 6)}`],
          monthlyCostCents: 0,
          status: "APPROVED",
          placementScope: request.scope,
          placementProviderId: request.providerId ?? null,
        },
      })
    : null;
  return db.machine.create({
    data: {
      projectId: e.project.id,
      requestId: r?.id ?? null,
      ownerId: e.member.actor.id,
      offeringId,
      templateId: e.template.id,
      name: `m-${randomUUID().slice(0, 6)}`,
      ...TEST_RESERVATION,
    },
  });
}

const scopeOf = (m: { projectId: string; requestId: string | null; templateId: string; offeringId: string }) => db.$transaction((tx) => providerScopeFor(tx, m));

describe("provider scope", () => {
  it("a project that lists no providers may use all of them; a cloud serves only the offerings it has a size for", async () => {
    const e = await estate();
    const sized = await scopeOf(await machine(e, e.o1.id));
    expect(sized.ids.sort()).toEqual([e.simA.id, e.simB.id, e.ec2.id].sort());
    expect(sized.preferred).toBeNull();
    const unsized = await scopeOf(await machine(e, e.o2.id));
    expect(unsized.ids.sort()).toEqual([e.simA.id, e.simB.id].sort());
    // Not active: not in the scope.
    await db.provider.update({ where: { id: e.simA.id }, data: { status: "UNAVAILABLE" } });
    expect((await scopeOf(await machine(e, e.o2.id))).ids).toEqual([e.simB.id]);
  });

  it("the project's list and default: the default is tried first, the rest when it is full", async () => {
    const e = await estate();
    await setProjectProviders(admin, { projectId: e.project.id, providerIds: [e.simB.id, e.ec2.id], defaultProviderId: e.ec2.id });
    const m = await machine(e, e.o1.id, { scope: "AUTO" });
    const scope = await scopeOf(m);
    expect(scope.ids.sort()).toEqual([e.simB.id, e.ec2.id].sort());
    expect(scope.preferred).toBe(e.ec2.id);
    const need = { vcpu: 2, memoryMb: 4096, diskGb: 50, diskTier: "SSD" as const };
    const first = await db.$transaction((tx) => placeInScope(tx, { templateId: e.template.id, need, machineId: m.id }, scope));
    expect(first?.providerId).toBe(e.ec2.id);
    // The default's region is full: the next machine goes to the project's other provider.
    await db.host.update({ where: { id: e.ec2.hostId }, data: { vcpuUsed: 64 } });
    const second = await db.$transaction((tx) => placeInScope(tx, { templateId: e.template.id, need, machineId: m.id }, scope));
    expect(second?.providerId).toBe(e.simB.id);
  });

  it("private only keeps to the private cloud; one provider keeps to it; a provider the project may not use serves nothing", async () => {
    const e = await estate();
    expect((await scopeOf(await machine(e, e.o1.id, { scope: "PRIVATE" }))).ids.sort()).toEqual([e.simA.id, e.simB.id].sort());
    expect((await scopeOf(await machine(e, e.o1.id, { scope: "PROVIDER", providerId: e.ec2.id }))).ids).toEqual([e.ec2.id]);
    await setProjectProviders(admin, { projectId: e.project.id, providerIds: [e.simB.id, e.ec2.id], defaultProviderId: null });
    const out = await scopeOf(await machine(e, e.o1.id, { scope: "PROVIDER", providerId: e.simA.id }));
    expect(out.ids).toEqual([]);
    expect(emptyScopeReason(out.choice, { offering: "Small", template: "Debian", provider: e.simA.name })).toContain(`Provider ${e.simA.name} cannot serve offering Small`);
    const placed = await db.$transaction((tx) => placeInScope(tx, { templateId: e.template.id, need: { vcpu: 1, memoryMb: 1, diskGb: 1, diskTier: "SSD" } }, out));
    expect(placed).toBeNull();
  });
});

describe("submitting a request with a placement target", () => {
  const base = (e: Awaited<ReturnType<typeof estate>>, offeringId: string) => ({
    projectId: e.project.id,
    offeringId,
    templateId: e.template.id,
    quantity: 1,
    name: `vm-${randomUUID().slice(0, 6)}`,
  });

  it("stores the target; refuses a provider the project may not use, or a choice nothing can serve", async () => {
    const e = await estate();
    const ok = await submitRequest(e.member, { ...base(e, e.o1.id), placement: "PROVIDER", providerId: e.ec2.id });
    expect(await db.request.findUniqueOrThrow({ where: { id: ok.id } })).toMatchObject({ placementScope: "PROVIDER", placementProviderId: e.ec2.id });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { targetId: ok.id, action: "request.submit" } });
    expect(audit.after).toMatchObject({ placement: "PROVIDER", placementProviderId: e.ec2.id });

    // EC2 has no size for O2.
    const unsized = await errorOf(submitRequest(e.member, { ...base(e, e.o2.id), placement: "PROVIDER", providerId: e.ec2.id }));
    expect(unsized.details?.fields).toEqual({ placement: ["noProviderForChoice"] });

    await setProjectProviders(admin, { projectId: e.project.id, providerIds: [e.ec2.id], defaultProviderId: e.ec2.id });
    const notAllowed = await errorOf(submitRequest(e.member, { ...base(e, e.o1.id), placement: "PROVIDER", providerId: e.simA.id }));
    expect(notAllowed.details?.fields).toEqual({ placement: ["providerNotAllowed"] });
    const noPrivate = await errorOf(submitRequest(e.member, { ...base(e, e.o1.id), placement: "PRIVATE" }));
    expect(noPrivate.details?.fields).toEqual({ placement: ["noProviderForChoice"] });
    // "Let the portal choose" is the default and needs no provider named.
    const auto = await submitRequest(e.member, base(e, e.o1.id));
    expect(await db.request.findUniqueOrThrow({ where: { id: auto.id } })).toMatchObject({ placementScope: "AUTO", placementProviderId: null });
  });
});

describe("administration", () => {
  it("project providers: the default must be one of them; changes are audited, a no-op is not", async () => {
    const e = await estate();
    const wrong = await errorOf(setProjectProviders(admin, { projectId: e.project.id, providerIds: [e.simA.id], defaultProviderId: e.ec2.id }));
    expect(wrong.details?.fields).toEqual({ defaultProviderId: ["projects.validation.defaultNotAllowed"] });
    expect(await setProjectProviders(admin, { projectId: e.project.id, providerIds: [e.simA.id, e.ec2.id], defaultProviderId: e.simA.id })).toEqual({ changed: true });
    expect(await setProjectProviders(admin, { projectId: e.project.id, providerIds: [e.ec2.id, e.simA.id], defaultProviderId: e.simA.id })).toEqual({ changed: false });
    expect(await db.auditEvent.count({ where: { targetId: e.project.id, action: "project.set_providers" } })).toBe(1);
    const forbidden = await errorOf(setProjectProviders(e.member, { projectId: e.project.id, providerIds: [], defaultProviderId: null }));
    expect(forbidden.code).toBe("FORBIDDEN");
  });

  it("offering sizes: only on clouds that sell sizes; an empty size removes the mapping", async () => {
    const e = await estate();
    const onHypervisor = await errorOf(setOfferingSizes(admin, { providerId: e.simA.id, refs: [{ offeringId: e.o1.id, ref: "t3.small" }] }));
    expect(onHypervisor.details?.fields).toEqual({ refs: ["providers.validation.sizesNotMapped"] });
    const bad = await errorOf(setOfferingSizes(admin, { providerId: e.ec2.id, refs: [{ offeringId: e.o2.id, ref: "t3 medium; rm -rf" }] }));
    expect(bad.code).toBe("VALIDATION");
    expect(await setOfferingSizes(admin, { providerId: e.ec2.id, refs: [{ offeringId: e.o2.id, ref: "m5.large" }, { offeringId: e.o1.id, ref: "" }] })).toEqual({
      changed: true,
      sizes: { [e.o2.id]: "m5.large" },
    });
    expect((await scopeOf(await machine(e, e.o1.id))).ids).not.toContain(e.ec2.id);
    expect((await scopeOf(await machine(e, e.o2.id))).ids).toContain(e.ec2.id);
  });

  it("a provider with a live machine cannot be deleted; once it has none it can, its deleted machines keep their history", async () => {
    const e = await estate();
    const m = await machine(e, e.o1.id);
    await db.machine.update({ where: { id: m.id }, data: { providerId: e.ec2.id, hostId: e.ec2.hostId, state: "RUNNING", externalRef: "i-0123456789abcdef0" } });
    const blocked = await errorOf(deleteProvider(admin, { id: e.ec2.id }));
    expect(blocked.code).toBe("CONFLICT");
    expect((await db.provider.findUniqueOrThrow({ where: { id: e.ec2.id } })).status).toBe("ACTIVE");
    await db.machine.update({ where: { id: m.id }, data: { state: "DELETED", deletedAt: new Date() } });
    await setProjectProviders(admin, { projectId: e.project.id, providerIds: [e.ec2.id, e.simA.id], defaultProviderId: e.ec2.id });
    await deleteProvider(admin, { id: e.ec2.id });
    expect(await db.provider.findUnique({ where: { id: e.ec2.id } })).toBeNull();
    expect(await db.host.count({ where: { providerId: e.ec2.id } })).toBe(0);
    expect(await db.offeringProviderRef.count({ where: { providerId: e.ec2.id } })).toBe(0);
    expect(await db.machine.findUniqueOrThrow({ where: { id: m.id } })).toMatchObject({ state: "DELETED", providerId: null, hostId: null, externalRef: "i-0123456789abcdef0" });
    expect(await db.project.findUniqueOrThrow({ where: { id: e.project.id }, include: { providers: true } })).toMatchObject({ defaultProviderId: null, providers: [{ providerId: e.simA.id }] });
    const [audit] = await db.auditEvent.findMany({ where: { targetId: e.ec2.id, action: "provider.delete" } });
    expect(audit.before).toMatchObject({ name: e.ec2.name, kind: "EC2" });
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { ctxFor, makeOffering, makeProject, makeTemplate, makeUser, TEST_RESERVATION } from "../../test/factories";
import { makeMachine } from "../../test/machine-factories";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { createOffering } from "./create-offering";
import { updateOffering } from "./update-offering";
import { setOfferingActive } from "./set-offering-active";
import { deleteOffering } from "./delete-offering";
import { listOfferings } from "./list-offerings";
import { getOffering } from "./get-offering";
import type { OfferingFields } from "./schemas";

let t: TestDatabase;
let admin: Ctx;
let user: Ctx;

beforeAll(async () => {
  t = await createTestDatabase();
  admin = await ctxFor(t.db, (await makeUser(t.db, { role: "ADMIN" })).id);
  user = await ctxFor(t.db, (await makeUser(t.db)).id);
});
afterAll(async () => t.drop());

let n = 0;
const valid = (over: Partial<OfferingFields> = {}): OfferingFields => ({
  name: `Offering ${++n}`,
  description: "General purpose",
  vcpu: 2,
  memoryGib: 4,
  diskGb: 80,
  diskTier: "SSD",
  monthlyPrice: "32.50",
  ...over,
});

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}
const auditCount = () => t.db.auditEvent.count();
const offeringCount = () => t.db.offering.count();

async function useOffering(offeringId: string) {
  const owner = await makeUser(t.db);
  const project = await makeProject(t.db);
  const template = await makeTemplate(t.db);
  await t.db.machine.create({ data: { ...TEST_RESERVATION, projectId: project.id, ownerId: owner.id, offeringId, templateId: template.id, name: `vm-${++n}`, state: "RUNNING" } });
}

describe("create", () => {
  it("stores MiB and cents and writes an audit row with after", async () => {
    const o = await createOffering(admin, valid({ name: "Medium SSD", memoryGib: 2.5, monthlyPrice: "12,05", description: "  web  " }));
    expect(o).toMatchObject({ name: "Medium SSD", memoryMb: 2560, monthlyPriceCents: 1205, diskTier: "SSD", active: true, description: "web" });
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "offering.create", targetId: o.id } });
    expect(audit.actorId).toBe(admin.actor.id);
    expect(audit.before).toBeNull();
    expect(audit.after).toMatchObject({ name: "Medium SSD", memoryMb: 2560, monthlyPriceCents: 1205 });
  });

  it("accepts the boundary values", async () => {
    const lo = await createOffering(admin, valid({ vcpu: 1, memoryGib: 0.5, diskGb: 10, monthlyPrice: "0", diskTier: "HDD" }));
    expect(lo).toMatchObject({ vcpu: 1, memoryMb: 512, diskGb: 10, monthlyPriceCents: 0, diskTier: "HDD" });
    const hi = await createOffering(admin, valid({ name: "x".repeat(80), vcpu: 256, memoryGib: 4096, diskGb: 65536, description: "d".repeat(500) }));
    expect(hi).toMatchObject({ vcpu: 256, memoryMb: 4096 * 1024, diskGb: 65536 });
  });

  const invalid: [string, Partial<OfferingFields>, string, string][] = [
    ["vCPU 0", { vcpu: 0 }, "vcpu", "offerings.validation.vcpuRange"],
    ["vCPU 257", { vcpu: 257 }, "vcpu", "offerings.validation.vcpuRange"],
    ["vCPU 1.5", { vcpu: 1.5 }, "vcpu", "offerings.validation.vcpuInteger"],
    ["memory 0.4 GiB", { memoryGib: 0.4 }, "memoryGib", "offerings.validation.memoryRange"],
    ["memory 4097 GiB", { memoryGib: 4097 }, "memoryGib", "offerings.validation.memoryRange"],
    ["memory 1.3 GiB", { memoryGib: 1.3 }, "memoryGib", "offerings.validation.memoryStep"],
    ["disk 9 GB", { diskGb: 9 }, "diskGb", "offerings.validation.diskRange"],
    ["disk 65537 GB", { diskGb: 65537 }, "diskGb", "offerings.validation.diskRange"],
    ["negative price", { monthlyPrice: "-1" }, "monthlyPrice", "offerings.validation.priceNegative"],
    ["price with 3 decimals", { monthlyPrice: "1.234" }, "monthlyPrice", "offerings.validation.priceFormat"],
    ["empty price", { monthlyPrice: "" }, "monthlyPrice", "offerings.validation.priceRequired"],
    ["empty name", { name: "" }, "name", "offerings.validation.nameRequired"],
    ["blank name", { name: "   " }, "name", "offerings.validation.nameRequired"],
    ["81-char name", { name: "x".repeat(81) }, "name", "offerings.validation.nameTooLong"],
    ["501-char description", { description: "d".repeat(501) }, "description", "offerings.validation.descriptionTooLong"],
    ["unknown tier", { diskTier: "NVME" as "SSD" }, "diskTier", "offerings.validation.diskTierInvalid"],
    ["NaN vCPU", { vcpu: Number.NaN }, "vcpu", "offerings.validation.vcpuRange"],
  ];
  it.each(invalid)("refuses %s with a field error and writes nothing", async (_label, over, field, message) => {
    const [offerings, audits] = [await offeringCount(), await auditCount()];
    const err = await failure(createOffering(admin, valid(over)));
    expect(err.code).toBe("VALIDATION");
    expect(err.details?.fields?.[field]).toContain(message);
    expect(await offeringCount()).toBe(offerings);
    expect(await auditCount()).toBe(audits);
  });

  it("refuses a duplicate name (any case) with a field error and writes nothing", async () => {
    await createOffering(admin, valid({ name: "Storage 4x1T" }));
    const [offerings, audits] = [await offeringCount(), await auditCount()];
    for (const name of ["Storage 4x1T", "storage 4X1t", "  Storage 4x1T "]) {
      const err = await failure(createOffering(admin, valid({ name })));
      expect(err.details?.fields?.name).toEqual(["offerings.validation.nameTaken"]);
    }
    expect(await offeringCount()).toBe(offerings);
    expect(await auditCount()).toBe(audits);
  });
});

describe("update", () => {
  it("changes fields and audits before and after", async () => {
    const o = await createOffering(admin, valid({ name: "Compute 8" }));
    const u = await updateOffering(admin, { id: o.id, ...valid({ name: "Compute 8", vcpu: 8, memoryGib: 16, monthlyPrice: "99.99" }) });
    expect(u).toMatchObject({ vcpu: 8, memoryMb: 16384, monthlyPriceCents: 9999 });
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "offering.update", targetId: o.id } });
    expect(audit.before).toMatchObject({ vcpu: 2, memoryMb: 4096, monthlyPriceCents: 3250 });
    expect(audit.after).toMatchObject({ vcpu: 8, memoryMb: 16384, monthlyPriceCents: 9999 });
  });

  it("keeps its own name but refuses another offering's, writing nothing", async () => {
    const a = await createOffering(admin, valid({ name: "Alpha" }));
    await createOffering(admin, valid({ name: "Beta" }));
    await updateOffering(admin, { id: a.id, ...valid({ name: "Alpha", vcpu: 3 }) });
    const audits = await auditCount();
    const err = await failure(updateOffering(admin, { id: a.id, ...valid({ name: "BETA" }) }));
    expect(err.details?.fields?.name).toEqual(["offerings.validation.nameTaken"]);
    const invalid = await failure(updateOffering(admin, { id: a.id, ...valid({ name: "Alpha", vcpu: 257 }) }));
    expect(invalid.details?.fields?.vcpu).toBeDefined();
    expect((await t.db.offering.findUniqueOrThrow({ where: { id: a.id } })).vcpu).toBe(3);
    expect(await auditCount()).toBe(audits);
  });

  it("answers NOT_FOUND for an unknown id", async () => {
    const err = await failure(updateOffering(admin, { id: "00000000-0000-4000-8000-000000000000", ...valid() }));
    expect(err.code).toBe("NOT_FOUND");
  });
});

describe("deactivate, reactivate, delete", () => {
  it("deactivates and reactivates with audit rows", async () => {
    const o = await createOffering(admin, valid());
    await setOfferingActive(admin, { id: o.id, active: false });
    expect((await t.db.offering.findUniqueOrThrow({ where: { id: o.id } })).active).toBe(false);
    const d = await t.db.auditEvent.findFirstOrThrow({ where: { action: "offering.deactivate", targetId: o.id } });
    expect(d.before).toMatchObject({ active: true });
    expect(d.after).toMatchObject({ active: false });
    await setOfferingActive(admin, { id: o.id, active: true });
    expect((await t.db.offering.findUniqueOrThrow({ where: { id: o.id } })).active).toBe(true);
    expect(await t.db.auditEvent.count({ where: { action: "offering.reactivate", targetId: o.id } })).toBe(1);
  });

  it("deletes an unused offering with an audit row", async () => {
    const o = await createOffering(admin, valid());
    expect(await deleteOffering(admin, { id: o.id })).toEqual({ outcome: "deleted" });
    expect(await t.db.offering.findUnique({ where: { id: o.id } })).toBeNull();
    const a = await t.db.auditEvent.findFirstOrThrow({ where: { action: "offering.delete", targetId: o.id } });
    expect(a.before).toMatchObject({ name: o.name });
    expect(a.after).toBeNull();
  });

  it("never deletes an offering in use: it is deactivated instead", async () => {
    const o = await makeOffering(t.db);
    await useOffering(o.id);
    expect(await deleteOffering(admin, { id: o.id })).toEqual({ outcome: "deactivated" });
    const row = await t.db.offering.findUniqueOrThrow({ where: { id: o.id } });
    expect(row.active).toBe(false);
    expect(await t.db.auditEvent.count({ where: { action: "offering.deactivate", targetId: o.id } })).toBe(1);
    expect(await t.db.auditEvent.count({ where: { action: "offering.delete", targetId: o.id } })).toBe(0);
    // Again: still there, nothing more audited.
    expect(await deleteOffering(admin, { id: o.id })).toEqual({ outcome: "deactivated" });
    expect(await t.db.auditEvent.count({ where: { targetId: o.id } })).toBe(1);
  });

  it("an offering referenced only by a request is in use too", async () => {
    const o = await makeOffering(t.db);
    const requester = await makeUser(t.db);
    const project = await makeProject(t.db);
    const template = await makeTemplate(t.db);
    await t.db.request.create({
      data: { projectId: project.id, requesterId: requester.id, offeringId: o.id, templateId: template.id, quantity: 1, names: ["r1"], monthlyCostCents: 3000, status: "REJECTED" },
    });
    expect(await deleteOffering(admin, { id: o.id })).toEqual({ outcome: "deactivated" });
    expect(await t.db.offering.findUnique({ where: { id: o.id } })).not.toBeNull();
  });
});

describe("listing", () => {
  it("lists active and inactive offerings with live machine counts", async () => {
    const used = await makeOffering(t.db);
    await useOffering(used.id);
    await useOffering(used.id);
    const owner = await makeUser(t.db);
    const project = await makeProject(t.db);
    const template = await makeTemplate(t.db);
    await t.db.machine.create({ data: { ...TEST_RESERVATION, projectId: project.id, ownerId: owner.id, offeringId: used.id, templateId: template.id, name: "gone", state: "DELETED" } });
    const inactive = await makeOffering(t.db, { active: false });
    const list = await listOfferings(admin);
    expect(list.find((o) => o.id === used.id)).toMatchObject({ machineCount: 2, inUse: true });
    expect(list.find((o) => o.id === inactive.id)).toMatchObject({ active: false, machineCount: 0, inUse: false });
    expect((await getOffering(admin, { id: used.id })).inUse).toBe(true);
  });
});

describe("permissions", () => {
  it("non-admins get FORBIDDEN for every verb and nothing is written", async () => {
    const o = await makeOffering(t.db);
    const [offerings, audits] = [await offeringCount(), await auditCount()];
    const calls: Promise<unknown>[] = [
      listOfferings(user),
      getOffering(user, { id: o.id }),
      createOffering(user, valid()),
      updateOffering(user, { id: o.id, ...valid() }),
      setOfferingActive(user, { id: o.id, active: false }),
      deleteOffering(user, { id: o.id }),
    ];
    for (const c of calls) expect((await failure(c)).code).toBe("FORBIDDEN");
    expect(await offeringCount()).toBe(offerings);
    expect(await auditCount()).toBe(audits);
    expect((await t.db.offering.findUniqueOrThrow({ where: { id: o.id } })).active).toBe(true);
  });

  it("a project approver is not an administrator", async () => {
    const approver = await makeUser(t.db);
    const project = await makeProject(t.db);
    await t.db.projectMember.create({ data: { projectId: project.id, userId: approver.id, role: "APPROVER" } });
    const ctx = await ctxFor(t.db, approver.id);
    expect((await failure(createOffering(ctx, valid()))).code).toBe("FORBIDDEN");
  });
});

describe("listOfferings: search, filters, sort", () => {
  it("searches name and description, filters tier and status, sorts each column with ties by name", async () => {
    const tag = `olist${Date.now().toString(36)}`;
    const mk = async (suffix: string, o: Parameters<typeof makeOffering>[1], description = "") => {
      const row = await makeOffering(t.db, o);
      return t.db.offering.update({ where: { id: row.id }, data: { name: `${tag}-${suffix}`, description } });
    };
    const a = await mk("a", { vcpu: 2, memoryMb: 4096, diskGb: 80, diskTier: "SSD", monthlyPriceCents: 3000 });
    await mk("b", { vcpu: 8, memoryMb: 2048, diskGb: 40, diskTier: "HDD", monthlyPriceCents: 9000, active: false }, "Batch NODE");
    const c = await mk("c", { vcpu: 2, memoryMb: 8192, diskGb: 160, diskTier: "SSD", monthlyPriceCents: 1000 });
    const owner = await makeUser(t.db);
    const project = await makeProject(t.db);
    for (const [o, state] of [[c, "RUNNING"], [c, "STOPPED"], [c, "DELETED"], [a, "RUNNING"]] as const) {
      await makeMachine(t.db, { projectId: project.id, ownerId: owner.id, state, offeringId: o.id });
    }
    const names = async (input: Parameters<typeof listOfferings>[1]) => (await listOfferings(admin, { q: tag, ...input })).map((o) => o.name.slice(tag.length + 1));

    // Default: published first, then by name.
    expect(await names({})).toEqual(["a", "c", "b"]);
    expect(await names({ q: "batch node" })).toEqual(["b"]);
    expect(await names({ tier: "SSD" })).toEqual(["a", "c"]);
    expect(await names({ status: "inactive" })).toEqual(["b"]);
    expect(await names({ status: "active", tier: "HDD" })).toEqual([]);
    expect(await names({ sort: "name", dir: "desc" })).toEqual(["c", "b", "a"]);
    // Equal vCPU (a, c): by name in either direction.
    expect(await names({ sort: "vcpu" })).toEqual(["b", "a", "c"]);
    expect(await names({ sort: "vcpu", dir: "asc" })).toEqual(["a", "c", "b"]);
    expect(await names({ sort: "memory" })).toEqual(["c", "a", "b"]);
    expect(await names({ sort: "disk", dir: "asc" })).toEqual(["b", "a", "c"]);
    expect(await names({ sort: "price", dir: "asc" })).toEqual(["c", "a", "b"]);
    // Live machines only: c 2, a 1, b 0.
    expect(await names({ sort: "machines" })).toEqual(["c", "a", "b"]);
    expect(await names({ sort: "machines", dir: "asc" })).toEqual(["b", "a", "c"]);
    expect((await failure(listOfferings(user, { q: tag }))).code).toBe("FORBIDDEN");
  });
});

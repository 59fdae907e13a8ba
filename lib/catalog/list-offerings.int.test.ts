import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeOffering, makeProject, makeTemplate, makeUser } from "../../test/factories";
import { AppError } from "../errors";
import { getRequestForm } from "../requests/get-request-form";
import { catalogFilterSchema } from "./schemas";
import { listOfferings } from "./list-offerings";

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});

describe("listOfferings", () => {
  it("lists active offerings only, filtered by tier, minimum vCPU and minimum memory (GiB)", async () => {
    const db = tdb.db;
    const small = await makeOffering(db, { vcpu: 1, memoryMb: 2048, diskTier: "SSD" });
    const big = await makeOffering(db, { vcpu: 8, memoryMb: 32768, diskTier: "SSD" });
    const hdd = await makeOffering(db, { vcpu: 4, memoryMb: 8192, diskTier: "HDD" });
    const retired = await makeOffering(db, { active: false });
    const ctx = await ctxFor(db, (await makeUser(db)).id);
    const ids = async (raw: Record<string, string | undefined>) =>
      (await listOfferings(ctx, catalogFilterSchema.parse(raw))).offerings.map((o) => o.id);

    const all = await ids({});
    expect(all).toEqual(expect.arrayContaining([small.id, big.id, hdd.id]));
    expect(all).not.toContain(retired.id);
    expect(await ids({ tier: "HDD" })).toEqual([hdd.id]);
    expect(await ids({ minVcpu: "4" })).toEqual(expect.arrayContaining([big.id, hdd.id]));
    expect(await ids({ minVcpu: "4" })).not.toContain(small.id);
    expect(await ids({ minMemoryGb: "16" })).toEqual([big.id]);
    expect(await ids({ tier: "SSD", minVcpu: "2" })).toEqual([big.id]);
    // Garbage in the URL is ignored, not an error.
    expect(await ids({ tier: "NVME", minVcpu: "lots", minMemoryGb: "-3" })).toEqual(all);
  });
});

describe("getRequestForm", () => {
  it("offers only the projects where the user may request, with quota and usage; unknown offerings are NOT_FOUND", async () => {
    const db = tdb.db;
    const user = await makeUser(db);
    const [member, approver, viewer, other] = await Promise.all([makeProject(db), makeProject(db, { maxLeaseDays: 30 }), makeProject(db), makeProject(db)]);
    await addMember(db, member.id, user.id, "MEMBER");
    await addMember(db, approver.id, user.id, "APPROVER");
    await addMember(db, viewer.id, user.id, "VIEWER");
    const offering = await makeOffering(db);
    const template = await makeTemplate(db);
    const retiredTemplate = await makeTemplate(db, { active: false });
    const ctx = await ctxFor(db, user.id);
    const data = await getRequestForm(ctx, { offeringId: offering.id });
    expect(data.offering.id).toBe(offering.id);
    expect(data.projects.map((p) => p.id).sort()).toEqual([member.id, approver.id].sort());
    expect(data.projects.find((p) => p.id === approver.id)).toMatchObject({ maxLeaseDays: 30, quotaVcpu: approver.quotaVcpu, usedVcpu: 0 });
    expect(data.projects.map((p) => p.id)).not.toContain(other.id);
    expect(data.templates.map((t) => t.id)).toContain(template.id);
    expect(data.templates.map((t) => t.id)).not.toContain(retiredTemplate.id);
    await expect(getRequestForm(ctx, { offeringId: crypto.randomUUID() })).rejects.toSatisfy((e) => e instanceof AppError && e.code === "NOT_FOUND");
    const retired = await makeOffering(db, { active: false });
    await expect(getRequestForm(ctx, { offeringId: retired.id })).rejects.toSatisfy((e) => e instanceof AppError && e.code === "NOT_FOUND");
  });
});

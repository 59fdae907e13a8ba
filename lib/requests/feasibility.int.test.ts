// Feasibility first: a request no active provider of the project can serve is refused at
// submission, with the reason on the field, before any approval (auto or not) and without
// writing anything.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { makeOffering, makeTemplate } from "../../test/factories";
import { makeProvider } from "../../test/machine-factories";
import { AppError } from "../errors";
import { apiErrorBody } from "../api/handler";
import { makeWorld, rowCounts, servingProvider, submitRaw, uniqueName } from "./testing";

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});

async function refusal(fn: () => Promise<unknown>): Promise<AppError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code, (err as AppError).message).toBe("VALIDATION");
    return err as AppError;
  }
  throw new Error("expected a VALIDATION refusal, but the request was accepted");
}

describe("request feasibility", () => {
  it("refuses a template no provider can run, even below the auto-approval threshold, and writes nothing", async () => {
    const db = tdb.db;
    const w = await makeWorld(db, { project: { autoApproveBelowCents: 1_000_000 } });
    const lab = await makeTemplate(db);
    const before = await rowCounts(db);
    const err = await refusal(() =>
      submitRaw(w.memberCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: lab.id, quantity: 1, name: uniqueName() }),
    );
    expect(err.details?.fields).toEqual({ templateId: ["templateUnavailable"] });
    expect(err.message).toContain("No active provider of this project can run template");
    expect(await rowCounts(db)).toEqual(before);
    // The API answers in plain words on the field.
    expect(apiErrorBody(err, "test", "requests.errors").details?.fields).toEqual({
      templateId: ["No provider of this project can run this template. Choose another template."],
    });
    // The same template once a provider has its image: accepted, and auto-approved.
    await servingProvider(db, [lab.id]);
    const ok = await submitRaw(w.memberCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: lab.id, quantity: 1, name: uniqueName() });
    expect(ok).toMatchObject({ status: "APPROVED", autoApproved: true });
  });

  it("a provider that is not active, or not allowed for the project, does not make a request feasible", async () => {
    const db = tdb.db;
    const w = await makeWorld(db);
    const tpl = await makeTemplate(db);
    const down = await servingProvider(db, [tpl.id]);
    await db.provider.update({ where: { id: down.id }, data: { status: "UNAVAILABLE" } });
    const submit = () => submitRaw(w.memberCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: tpl.id, quantity: 1, name: uniqueName() });
    expect((await refusal(submit)).details?.fields).toEqual({ templateId: ["templateUnavailable"] });

    // Active again but the project may only use another provider (the world's own).
    await db.provider.update({ where: { id: down.id }, data: { status: "ACTIVE" } });
    await db.projectProvider.create({ data: { projectId: w.project.id, providerId: w.provider.id } });
    expect((await refusal(submit)).details?.fields).toEqual({ templateId: ["templateUnavailable"] });

    // Allowed too: accepted.
    await db.projectProvider.create({ data: { projectId: w.project.id, providerId: down.id } });
    await expect(submit()).resolves.toMatchObject({ status: "PENDING_APPROVAL" });
  });

  it("an offering a sized cloud has no size for is refused on the offering; a template and offering never served together on the template", async () => {
    const db = tdb.db;
    const w = await makeWorld(db);
    const ec2 = await makeProvider(db, { kind: "EC2", cpuOvercommit: 1 });
    const sized = await makeOffering(db);
    await db.templateProviderRef.create({ data: { templateId: w.template.id, providerId: ec2.id, ref: "ami-123" } });
    await db.offeringProviderRef.create({ data: { offeringId: sized.id, providerId: ec2.id, ref: "t3.small" } });
    // The project may use only the EC2 region.
    await db.projectProvider.create({ data: { projectId: w.project.id, providerId: ec2.id } });
    const base = { projectId: w.project.id, templateId: w.template.id, quantity: 1 };
    expect((await refusal(() => submitRaw(w.memberCtx, { ...base, offeringId: w.offering.id, name: uniqueName() }))).details?.fields).toEqual({
      offeringId: ["offeringUnavailable"],
    });
    await expect(submitRaw(w.memberCtx, { ...base, offeringId: sized.id, name: uniqueName() })).resolves.toMatchObject({ status: "PENDING_APPROVAL" });

    // The simulator (any size) joins, but has no image of this other template; EC2 has the
    // image but no size for the world's offering: each is servable, the pair is not.
    const other = await makeTemplate(db);
    await db.templateProviderRef.create({ data: { templateId: other.id, providerId: ec2.id, ref: "ami-456" } });
    await db.projectProvider.create({ data: { projectId: w.project.id, providerId: w.provider.id } });
    const pair = await refusal(() => submitRaw(w.memberCtx, { ...base, templateId: other.id, offeringId: w.offering.id, name: uniqueName() }));
    expect(pair.details?.fields).toEqual({ templateId: ["combinationUnavailable"] });
    await expect(submitRaw(w.memberCtx, { ...base, templateId: other.id, offeringId: sized.id, name: uniqueName() })).resolves.toMatchObject({
      status: "PENDING_APPROVAL",
    });
  });
});

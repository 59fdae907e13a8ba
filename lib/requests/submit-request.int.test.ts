import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeOffering, makeProject, makeTemplate, makeUser, TEST_RESERVATION } from "../../test/factories";
import { AppError } from "../errors";
import { apiErrorBody } from "../api/handler";
import { makeWorld, rowCounts, submitRaw, uniqueName } from "./testing";

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});

/** Runs `fn`, expects an AppError with `code`, and returns it. */
async function expectAppError(fn: () => Promise<unknown>, code: string): Promise<AppError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code, (err as AppError).message).toBe(code);
    return err as AppError;
  }
  throw new Error(`expected ${code}, but it succeeded`);
}

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

describe("submitRequest", () => {
  it("writes the request with its cost, generated names and an audit event", async () => {
    const db = tdb.db;
    const w = await makeWorld(db, { offering: { monthlyPriceCents: 3250 } });
    const prefix = uniqueName("web");
    const before = await rowCounts(db);
    const res = await submitRaw(w.memberCtx, {
      projectId: w.project.id,
      offeringId: w.offering.id,
      templateId: w.template.id,
      quantity: 3,
      name: prefix,
      leaseEndsAt: inDays(10),
      justification: "Load tests for the new checkout",
    });
    expect(res.status).toBe("PENDING_APPROVAL");
    expect(res.autoApproved).toBe(false);
    const row = await db.request.findUniqueOrThrow({ where: { id: res.id } });
    expect(row).toMatchObject({
      projectId: w.project.id,
      requesterId: w.member.id,
      offeringId: w.offering.id,
      templateId: w.template.id,
      quantity: 3,
      names: [`${prefix}-01`, `${prefix}-02`, `${prefix}-03`],
      monthlyCostCents: 3 * 3250,
      status: "PENDING_APPROVAL",
      justification: "Load tests for the new checkout",
      decidedById: null,
    });
    expect(row.leaseEndsAt?.toISOString()).toBe(`${inDays(10)}T23:59:59.999Z`);
    const audit = await db.auditEvent.findMany({ where: { targetId: res.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "request.submit", actorId: w.member.id, targetType: "Request", projectId: w.project.id });
    expect(audit[0].after).toMatchObject({ quantity: 3, monthlyCostCents: 9750 });
    const after = await rowCounts(db);
    // Pending: no machines, operations or jobs yet.
    expect(after).toEqual({ ...before, requests: before.requests + 1, audit: before.audit + 1 });
  });

  it("a single machine keeps its name as given", async () => {
    const w = await makeWorld(tdb.db);
    const name = uniqueName("db");
    const res = await submitRaw(w.memberCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 1, name });
    const row = await tdb.db.request.findUniqueOrThrow({ where: { id: res.id } });
    expect(row.names).toEqual([name]);
    expect(row.leaseEndsAt).toBeNull();
  });

  describe("auto-approval", () => {
    it("approves a request strictly below the threshold at submission, through the approval core", async () => {
      const db = tdb.db;
      const w = await makeWorld(db, { project: { autoApproveBelowCents: 6001 }, offering: { monthlyPriceCents: 3000, vcpu: 2 } });
      const res = await submitRaw(w.memberCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 2, name: uniqueName() });
      expect(res).toMatchObject({ status: "APPROVED", autoApproved: true, monthlyCostCents: 6000 });
      const row = await db.request.findUniqueOrThrow({ where: { id: res.id } });
      expect(row).toMatchObject({ status: "APPROVED", autoApproved: true, decidedById: null });
      expect(row.decidedAt).not.toBeNull();
      const machines = await db.machine.findMany({ where: { requestId: res.id } });
      expect(machines).toHaveLength(2);
      expect(machines.every((m) => m.state === "REQUESTED" && m.ownerId === w.member.id)).toBe(true);
      const ops = await db.operation.findMany({ where: { machineId: { in: machines.map((m) => m.id) } } });
      expect(ops).toHaveLength(2);
      const actions = (await db.auditEvent.findMany({ where: { targetId: res.id }, orderBy: { id: "asc" } })).map((a) => [a.action, a.actorId]);
      expect(actions).toEqual([
        ["request.submit", w.member.id],
        ["request.auto_approve", w.member.id],
      ]);
      const project = await db.project.findUniqueOrThrow({ where: { id: w.project.id } });
      expect(project).toMatchObject({ usedVcpu: 4, usedMachines: 2, usedMonthlyCents: 6000 });
    });

    it("leaves a request equal to or above the threshold pending", async () => {
      const db = tdb.db;
      const w = await makeWorld(db, { project: { autoApproveBelowCents: 6000 }, offering: { monthlyPriceCents: 3000 } });
      const equal = await submitRaw(w.memberCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 2, name: uniqueName() });
      const above = await submitRaw(w.memberCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 3, name: uniqueName() });
      expect(equal.status).toBe("PENDING_APPROVAL");
      expect(above.status).toBe("PENDING_APPROVAL");
      expect(await db.machine.count({ where: { projectId: w.project.id } })).toBe(0);
      const project = await db.project.findUniqueOrThrow({ where: { id: w.project.id } });
      expect(project.usedVcpu).toBe(0);
    });

    it("never auto-approves when the project has no threshold", async () => {
      const w = await makeWorld(tdb.db, { offering: { monthlyPriceCents: 1 } });
      const res = await submitRaw(w.memberCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 1, name: uniqueName() });
      expect(res.status).toBe("PENDING_APPROVAL");
    });
  });

  describe("quota at submission", () => {
    it("refuses a request that does not fit, naming the resource, and writes nothing", async () => {
      const db = tdb.db;
      const w = await makeWorld(db, { project: { quotaVcpu: 3, quotaMachines: 10 }, offering: { vcpu: 2 } });
      const before = await rowCounts(db);
      const err = await expectAppError(
        () => submitRaw(w.memberCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 2, name: uniqueName() }),
        "QUOTA_EXCEEDED",
      );
      expect(err.details?.resources).toEqual(["vcpu"]);
      expect(err.message).toMatch(/vCPU/);
      expect(await rowCounts(db)).toEqual(before);
    });

    it("names every resource over its limit: HDD disk, machines and budget", async () => {
      const w = await makeWorld(tdb.db, {
        project: { quotaDiskHddGb: 100, quotaMachines: 1, monthlyBudgetCents: 5000 },
        offering: { diskTier: "HDD", diskGb: 60, monthlyPriceCents: 3000 },
      });
      const err = await expectAppError(
        () => submitRaw(w.memberCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 2, name: uniqueName() }),
        "QUOTA_EXCEEDED",
      );
      expect(err.details?.resources).toEqual(["diskHdd", "machines", "budget"]);
    });
  });

  describe("ids the requester may not use", () => {
    it("a project the user is not a member of is NOT_FOUND, as is an unknown one", async () => {
      const db = tdb.db;
      const w = await makeWorld(db);
      const other = await makeProject(db);
      const base = { offeringId: w.offering.id, templateId: w.template.id, quantity: 1, name: uniqueName() };
      const before = await rowCounts(db);
      await expectAppError(() => submitRaw(w.memberCtx, { ...base, projectId: other.id }), "NOT_FOUND");
      await expectAppError(() => submitRaw(w.memberCtx, { ...base, projectId: crypto.randomUUID() }), "NOT_FOUND");
      expect(await rowCounts(db)).toEqual(before);
    });

    it("unknown or inactive offerings and templates are NOT_FOUND", async () => {
      const db = tdb.db;
      const w = await makeWorld(db);
      const inactiveOffering = await makeOffering(db, { active: false });
      const inactiveTemplate = await makeTemplate(db, { active: false });
      const base = { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 1, name: uniqueName() };
      const before = await rowCounts(db);
      await expectAppError(() => submitRaw(w.memberCtx, { ...base, offeringId: crypto.randomUUID() }), "NOT_FOUND");
      await expectAppError(() => submitRaw(w.memberCtx, { ...base, offeringId: inactiveOffering.id }), "NOT_FOUND");
      await expectAppError(() => submitRaw(w.memberCtx, { ...base, templateId: crypto.randomUUID() }), "NOT_FOUND");
      await expectAppError(() => submitRaw(w.memberCtx, { ...base, templateId: inactiveTemplate.id }), "NOT_FOUND");
      expect(await rowCounts(db)).toEqual(before);
    });

    it("a viewer of the project sees it but may not request: FORBIDDEN", async () => {
      const db = tdb.db;
      const w = await makeWorld(db);
      const viewer = await makeUser(db);
      await addMember(db, w.project.id, viewer.id, "VIEWER");
      const ctx = await ctxFor(db, viewer.id);
      await expectAppError(
        () => submitRaw(ctx, { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 1, name: uniqueName() }),
        "FORBIDDEN",
      );
    });
  });

  describe("validation: field errors, nothing written", () => {
    const cases: [string, (w: Awaited<ReturnType<typeof makeWorld>>) => Record<string, unknown>, Record<string, string>][] = [
      ["empty input", () => ({}), { projectId: "projectRequired", offeringId: "offeringRequired", templateId: "templateRequired", quantity: "quantityRange", name: "nameRequired" }],
      ["quantity 0", () => ({ quantity: 0 }), { quantity: "quantityRange" }],
      ["quantity 21", () => ({ quantity: 21 }), { quantity: "quantityRange" }],
      ["quantity 'abc'", () => ({ quantity: "abc" }), { quantity: "quantityRange" }],
      ["quantity 1.5", () => ({ quantity: 1.5 }), { quantity: "quantityRange" }],
      ["project id of the wrong type", () => ({ projectId: 123 }), { projectId: "projectRequired" }],
      ["template id not a uuid", () => ({ templateId: "ubuntu" }), { templateId: "templateRequired" }],
      ["empty name", () => ({ name: "" }), { name: "nameRequired" }],
      ["upper-case name", () => ({ name: "Web01" }), { name: "nameInvalid" }],
      ["name with underscore", () => ({ name: "web_01" }), { name: "nameInvalid" }],
      ["name starting with '-'", () => ({ name: "-web" }), { name: "nameInvalid" }],
      ["name ending with '-'", () => ({ name: "web-" }), { name: "nameInvalid" }],
      ["name of 64 characters", () => ({ name: "a".repeat(64) }), { name: "nameTooLong" }],
      ["name of the wrong type", () => ({ name: 42 }), { name: "nameRequired" }],
      ["prefix too long for -NN", () => ({ quantity: 2, name: "a".repeat(61) }), { name: "prefixTooLong" }],
      ["duplicate names within the request", () => ({ quantity: 2, name: undefined, names: ["app-a", "app-a"] }), { names: "namesDuplicate" }],
      ["names not matching the quantity", () => ({ quantity: 3, name: undefined, names: ["app-a", "app-b"] }), { names: "namesCount" }],
      ["justification over 2000 characters", () => ({ justification: "x".repeat(2001) }), { justification: "justificationTooLong" }],
      ["justification of the wrong type", () => ({ justification: 5 }), { justification: "justificationInvalid" }],
      ["lease date that is not a date", () => ({ leaseEndsAt: "next week" }), { leaseEndsAt: "leaseInvalid" }],
      ["lease in the past", () => ({ leaseEndsAt: "2020-01-01" }), { leaseEndsAt: "leaseInPast" }],
      ["lease ending today", () => ({ leaseEndsAt: inDays(0) }), { leaseEndsAt: "leaseInPast" }],
      ["lease beyond the project's maximum", () => ({ leaseEndsAt: inDays(31) }), { leaseEndsAt: "leaseTooLong" }],
    ];
    it.each(cases)("%s", async (_label, patch, expected) => {
      const db = tdb.db;
      const w = await makeWorld(db, { project: { maxLeaseDays: 30 } });
      const input = { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 1, name: uniqueName(), ...patch(w) };
      const raw = Object.keys(patch(w)).length === 0 ? {} : input;
      const before = await rowCounts(db);
      const err = await expectAppError(() => submitRaw(w.memberCtx, raw), "VALIDATION");
      const fields = err.details?.fields as Record<string, string[]>;
      for (const [field, key] of Object.entries(expected)) expect(fields[field], `${field} in ${JSON.stringify(fields)}`).toContain(key);
      expect(Object.keys(fields).sort()).toEqual(Object.keys(expected).sort());
      expect(await rowCounts(db)).toEqual(before);
    });

    it("a lease within the project's maximum is accepted", async () => {
      const w = await makeWorld(tdb.db, { project: { maxLeaseDays: 30 } });
      const res = await submitRaw(w.memberCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 1, name: uniqueName(), leaseEndsAt: inDays(29) });
      expect(res.status).toBe("PENDING_APPROVAL");
    });

    it("an empty lease is refused where the project has a maximum lease, in plain words", async () => {
      const db = tdb.db;
      const w = await makeWorld(db, { project: { maxLeaseDays: 30 } });
      const before = await rowCounts(db);
      for (const lease of [{ leaseEndsAt: "" }, {}]) {
        const err = await expectAppError(
          () => submitRaw(w.memberCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 1, name: uniqueName(), ...lease }),
          "VALIDATION",
        );
        expect(err.details).toMatchObject({ fields: { leaseEndsAt: ["leaseRequired"] }, days: 30 });
        // What an API client reads (English text, the key beside it).
        const body = apiErrorBody(err, "test", "requests.errors");
        expect(body.details?.fields).toEqual({ leaseEndsAt: ["Choose a lease end date: this project allows leases of at most 30 days."] });
        expect(body.details?.fieldKeys).toEqual({ leaseEndsAt: ["requests.errors.leaseRequired"] });
      }
      expect(await rowCounts(db)).toEqual(before);
      // The other lease problems name the limit too.
      const tooLong = await expectAppError(
        () => submitRaw(w.memberCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 1, name: uniqueName(), leaseEndsAt: inDays(31) }),
        "VALIDATION",
      );
      expect(apiErrorBody(tooLong, "test", "requests.errors").details?.fields).toEqual({ leaseEndsAt: ["This project allows leases of at most 30 days."] });
    });

    it("an empty lease is accepted where the project has no maximum", async () => {
      const w = await makeWorld(tdb.db);
      const res = await submitRaw(w.memberCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 1, name: uniqueName(), leaseEndsAt: "" });
      expect((await tdb.db.request.findUniqueOrThrow({ where: { id: res.id } })).leaseEndsAt).toBeNull();
    });

    it("an offering whose disk is smaller than the template needs is refused on the template field", async () => {
      const db = tdb.db;
      const w = await makeWorld(db, { offering: { diskGb: 20 } });
      const big = await makeTemplate(db, { minDiskGb: 64 });
      const err = await expectAppError(
        () => submitRaw(w.memberCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: big.id, quantity: 1, name: uniqueName() }),
        "VALIDATION",
      );
      expect(err.details?.fields).toEqual({ templateId: ["templateDiskTooSmall"] });
    });
  });

  describe("name uniqueness within the project", () => {
    it("refuses names of existing machines, and names claimed by open requests", async () => {
      const db = tdb.db;
      const w = await makeWorld(db);
      const existing = uniqueName("db");
      await db.machine.create({
        data: { ...TEST_RESERVATION, projectId: w.project.id, ownerId: w.member.id, offeringId: w.offering.id, templateId: w.template.id, name: existing, state: "RUNNING" },
      });
      const base = { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id };
      const before = await rowCounts(db);
      const e1 = await expectAppError(() => submitRaw(w.memberCtx, { ...base, quantity: 1, name: existing }), "VALIDATION");
      expect(e1.details).toMatchObject({ fields: { name: ["nameTaken"] }, taken: [existing] });
      // Also against the explicit names of an API request.
      const e2 = await expectAppError(() => submitRaw(w.memberCtx, { ...base, quantity: 2, names: ["free-one", existing] }), "VALIDATION");
      expect(e2.details).toMatchObject({ fields: { names: ["nameTaken"] }, taken: [existing] });
      expect(await rowCounts(db)).toEqual(before);

      // A pending request's generated names are claimed too.
      const prefix = uniqueName("web");
      await submitRaw(w.memberCtx, { ...base, quantity: 2, name: prefix });
      const e3 = await expectAppError(() => submitRaw(w.memberCtx, { ...base, quantity: 1, name: `${prefix}-02` }), "VALIDATION");
      expect(e3.details?.taken).toEqual([`${prefix}-02`]);
      const e4 = await expectAppError(() => submitRaw(w.approverCtx, { ...base, quantity: 3, name: prefix }), "VALIDATION");
      expect(e4.details?.taken).toEqual([`${prefix}-01`, `${prefix}-02`]);
    });

    it("names of deleted machines, closed requests and other projects are free", async () => {
      const db = tdb.db;
      const w = await makeWorld(db);
      const other = await makeWorld(db);
      const base = { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 1 };
      const deleted = uniqueName("old");
      await db.machine.create({
        data: { ...TEST_RESERVATION, projectId: w.project.id, ownerId: w.member.id, offeringId: w.offering.id, templateId: w.template.id, name: deleted, state: "DELETED", deletedAt: new Date() },
      });
      await submitRaw(w.memberCtx, { ...base, name: deleted });

      const rejectedName = uniqueName("rej");
      const r = await submitRaw(w.memberCtx, { ...base, name: rejectedName });
      await db.request.update({ where: { id: r.id }, data: { status: "REJECTED" } });
      await submitRaw(w.memberCtx, { ...base, name: rejectedName });

      const shared = uniqueName("shared");
      await submitRaw(w.memberCtx, { ...base, name: shared });
      await submitRaw(other.memberCtx, { projectId: other.project.id, offeringId: other.offering.id, templateId: other.template.id, quantity: 1, name: shared });
    });

    it("concurrent submissions of the same name: exactly one wins", async () => {
      const db = tdb.db;
      const w = await makeWorld(db);
      const name = uniqueName("race");
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, () => submitRaw(w.memberCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 1, name })),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      for (const r of results) if (r.status === "rejected") expect((r.reason as AppError).code).toBe("VALIDATION");
      expect(await db.request.count({ where: { projectId: w.project.id } })).toBe(1);
    });
  });
});

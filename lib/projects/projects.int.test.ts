import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeOffering, makeProject, makeTemplate, makeUser, TEST_RESERVATION } from "../../test/factories";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { createProject } from "./create-project";
import { updateProject } from "./update-project";
import { setProjectArchived } from "./set-project-archived";
import { deleteProject } from "./delete-project";
import { listProjects } from "./list-projects";
import { getProject } from "./get-project";
import { addProjectMember } from "./add-project-member";
import { changeMemberRole } from "./change-member-role";
import { removeProjectMember } from "./remove-project-member";
import type { ProjectFields } from "./schemas";

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
const valid = (over: Partial<ProjectFields> = {}): ProjectFields => {
  const i = ++n;
  return {
    name: `Project ${i}`,
    slug: `project-${i}`,
    description: "",
    quotaVcpu: 32,
    quotaMemoryGib: 128,
    quotaDiskSsdGb: 2000,
    quotaDiskHddGb: 5000,
    quotaMachines: 20,
    monthlyBudget: "",
    autoApproveBelow: "",
    maxLeaseDays: null,
    leaseGraceDays: 7,
    disabledActions: [],
    ...over,
  };
};
async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}
const counts = async () => [await t.db.project.count(), await t.db.projectMember.count(), await t.db.auditEvent.count()];

describe("create and update", () => {
  it("creates with converted units and audits", async () => {
    const p = await createProject(
      admin,
      valid({ name: "Web Platform", slug: "web-platform", quotaMemoryGib: 64.5, monthlyBudget: "5000", autoApproveBelow: "20,50", maxLeaseDays: 90, disabledActions: ["DELETE", "STOP", "DELETE"] }),
    );
    expect(p).toMatchObject({ quotaMemoryMb: 66048, monthlyBudgetCents: 500000, autoApproveBelowCents: 2050, maxLeaseDays: 90, disabledActions: ["STOP", "DELETE"] });
    const a = await t.db.auditEvent.findFirstOrThrow({ where: { action: "project.create", targetId: p.id } });
    expect(a.projectId).toBe(p.id);
    expect(a.after).toMatchObject({ slug: "web-platform", monthlyBudgetCents: 500000 });
  });

  const invalid: [string, Partial<ProjectFields>, string][] = [
    ["empty name", { name: "" }, "name"],
    ["slug with capitals", { slug: "Web" }, "slug"],
    ["slug with a leading hyphen", { slug: "-web" }, "slug"],
    ["slug of 64 characters", { slug: "a".repeat(64) }, "slug"],
    ["negative vCPU quota", { quotaVcpu: -1 }, "quotaVcpu"],
    ["memory quota off the 0.5 GiB step", { quotaMemoryGib: 1.2 }, "quotaMemoryGib"],
    ["negative budget", { monthlyBudget: "-5" }, "monthlyBudget"],
    ["garbage threshold", { autoApproveBelow: "ten" }, "autoApproveBelow"],
    ["max lease 0 days", { maxLeaseDays: 0 }, "maxLeaseDays"],
    ["grace of 366 days", { leaseGraceDays: 366 }, "leaseGraceDays"],
    ["unknown action", { disabledActions: ["PROVISION" as "START"] }, "disabledActions.0"],
  ];
  it.each(invalid)("refuses %s with a field error and writes nothing", async (_l, over, field) => {
    const before = await counts();
    const err = await failure(createProject(admin, valid(over)));
    expect(err.code).toBe("VALIDATION");
    expect(err.details?.fields?.[field]?.[0]).toMatch(/^projects\.validation\./);
    expect(await counts()).toEqual(before);
  });

  it("refuses a taken name and slug", async () => {
    await createProject(admin, valid({ name: "Data Science", slug: "data-science" }));
    const before = await counts();
    const err = await failure(createProject(admin, valid({ name: "data science", slug: "data-science" })));
    expect(err.details?.fields).toEqual({ name: ["projects.validation.nameTaken"], slug: ["projects.validation.slugTaken"] });
    expect(await counts()).toEqual(before);
  });

  it("updates and audits before/after", async () => {
    const p = await createProject(admin, valid());
    await updateProject(admin, { id: p.id, ...valid({ name: p.name, slug: p.slug, quotaVcpu: 64, disabledActions: ["SNAPSHOT_REVERT"] }) });
    const a = await t.db.auditEvent.findFirstOrThrow({ where: { action: "project.update", targetId: p.id } });
    expect(a.before).toMatchObject({ quotaVcpu: 32, disabledActions: [] });
    expect(a.after).toMatchObject({ quotaVcpu: 64, disabledActions: ["SNAPSHOT_REVERT"] });
  });

  it("refuses a quota or budget below current usage, field by field, writing nothing", async () => {
    const p = await makeProject(t.db);
    await t.db.project.update({
      where: { id: p.id },
      data: { usedVcpu: 10, usedMemoryMb: 8192, usedDiskSsdGb: 100, usedDiskHddGb: 0, usedMachines: 3, usedMonthlyCents: 9000 },
    });
    const base = { name: p.name, slug: p.slug };
    const before = await counts();
    const err = await failure(
      updateProject(admin, { id: p.id, ...valid({ ...base, quotaVcpu: 9, quotaMemoryGib: 7.5, quotaDiskSsdGb: 99, quotaDiskHddGb: 0, quotaMachines: 2, monthlyBudget: "89.99" }) }),
    );
    expect(err.details?.fields).toEqual({
      quotaVcpu: ["projects.validation.quotaBelowUsage"],
      quotaMemoryGib: ["projects.validation.quotaBelowUsage"],
      quotaDiskSsdGb: ["projects.validation.quotaBelowUsage"],
      quotaMachines: ["projects.validation.quotaBelowUsage"],
      monthlyBudget: ["projects.validation.budgetBelowUsage"],
    });
    expect(await counts()).toEqual(before);
    expect((await t.db.project.findUniqueOrThrow({ where: { id: p.id } })).quotaVcpu).toBe(100);
    // Exactly at usage is fine.
    await updateProject(admin, { id: p.id, ...valid({ ...base, quotaVcpu: 10, quotaMemoryGib: 8, quotaDiskSsdGb: 100, quotaDiskHddGb: 0, quotaMachines: 3, monthlyBudget: "90" }) });
    expect((await t.db.project.findUniqueOrThrow({ where: { id: p.id } })).quotaVcpu).toBe(10);
  });
});

describe("archive and delete", () => {
  it("archives and restores with audit", async () => {
    const p = await makeProject(t.db);
    await setProjectArchived(admin, { id: p.id, archived: true });
    expect((await t.db.project.findUniqueOrThrow({ where: { id: p.id } })).archived).toBe(true);
    await setProjectArchived(admin, { id: p.id, archived: false });
    expect(await t.db.auditEvent.count({ where: { targetId: p.id, action: { in: ["project.archive", "project.unarchive"] } } })).toBe(2);
  });

  it("deletes a project without history, archives one with machines", async () => {
    const empty = await makeProject(t.db);
    expect(await deleteProject(admin, { id: empty.id })).toEqual({ outcome: "deleted" });
    expect(await t.db.project.findUnique({ where: { id: empty.id } })).toBeNull();

    const busy = await makeProject(t.db);
    const owner = await makeUser(t.db);
    await t.db.machine.create({
      data: { ...TEST_RESERVATION, projectId: busy.id, ownerId: owner.id, offeringId: (await makeOffering(t.db)).id, templateId: (await makeTemplate(t.db)).id, name: "vm" },
    });
    expect(await deleteProject(admin, { id: busy.id })).toEqual({ outcome: "archived" });
    expect((await t.db.project.findUniqueOrThrow({ where: { id: busy.id } })).archived).toBe(true);
  });
});

describe("members", () => {
  it("adds by e-mail (any case), changes role and removes, each audited", async () => {
    const p = await makeProject(t.db);
    const carol = await makeUser(t.db, { email: "carol@example.test" });
    const m = await addProjectMember(admin, { projectId: p.id, email: "Carol@Example.TEST", role: "VIEWER" });
    expect(m).toMatchObject({ userId: carol.id, role: "VIEWER" });
    const added = await t.db.auditEvent.findFirstOrThrow({ where: { action: "project.member_add", projectId: p.id } });
    expect(added).toMatchObject({ targetType: "ProjectMember", targetId: carol.id, after: { email: "carol@example.test", role: "VIEWER" } });

    await changeMemberRole(admin, { projectId: p.id, userId: carol.id, role: "APPROVER" });
    const changed = await t.db.auditEvent.findFirstOrThrow({ where: { action: "project.member_role_change", projectId: p.id } });
    expect([changed.before, changed.after]).toMatchObject([{ role: "VIEWER" }, { role: "APPROVER" }]);
    const view = await getProject(admin, { id: p.id });
    expect(view.members).toEqual([expect.objectContaining({ userId: carol.id, role: "APPROVER", email: "carol@example.test" })]);
    expect((await listProjects(admin)).find((x) => x.id === p.id)!.memberCount).toBe(1);

    await removeProjectMember(admin, { projectId: p.id, userId: carol.id });
    expect(await t.db.projectMember.count({ where: { projectId: p.id } })).toBe(0);
    expect(await t.db.auditEvent.findFirstOrThrow({ where: { action: "project.member_remove", projectId: p.id } })).toMatchObject({
      before: { role: "APPROVER" },
      after: null,
    });
  });

  it("refuses an unknown e-mail, a bad e-mail and a duplicate member with field errors", async () => {
    const p = await makeProject(t.db);
    const dave = await makeUser(t.db);
    await addMember(t.db, p.id, dave.id, "MEMBER");
    const before = await counts();
    expect((await failure(addProjectMember(admin, { projectId: p.id, email: "nobody@example.test", role: "MEMBER" }))).details?.fields).toEqual({
      email: ["projects.validation.unknownEmail"],
    });
    expect((await failure(addProjectMember(admin, { projectId: p.id, email: "not-an-email", role: "MEMBER" }))).details?.fields?.email).toEqual([
      "projects.validation.emailFormat",
    ]);
    expect((await failure(addProjectMember(admin, { projectId: p.id, email: dave.email, role: "VIEWER" }))).details?.fields).toEqual({
      email: ["projects.validation.alreadyMember"],
    });
    expect(await counts()).toEqual(before);
  });

  it("unknown members are NOT_FOUND", async () => {
    const p = await makeProject(t.db);
    const stranger = await makeUser(t.db);
    expect((await failure(changeMemberRole(admin, { projectId: p.id, userId: stranger.id, role: "MEMBER" }))).code).toBe("NOT_FOUND");
    expect((await failure(removeProjectMember(admin, { projectId: p.id, userId: stranger.id }))).code).toBe("NOT_FOUND");
  });
});

describe("permissions", () => {
  it("non-admins (even project approvers) get FORBIDDEN for every verb and nothing is written", async () => {
    const p = await makeProject(t.db);
    const other = await makeUser(t.db);
    await addMember(t.db, p.id, user.actor.id, "APPROVER");
    await addMember(t.db, p.id, other.id, "MEMBER");
    const approver = await ctxFor(t.db, user.actor.id);
    const before = await counts();
    const calls: Promise<unknown>[] = [
      listProjects(approver),
      getProject(approver, { id: p.id }),
      createProject(approver, valid()),
      updateProject(approver, { id: p.id, ...valid() }),
      setProjectArchived(approver, { id: p.id, archived: true }),
      deleteProject(approver, { id: p.id }),
      addProjectMember(approver, { projectId: p.id, email: admin.actor.email, role: "MEMBER" }),
      changeMemberRole(approver, { projectId: p.id, userId: other.id, role: "APPROVER" }),
      removeProjectMember(approver, { projectId: p.id, userId: other.id }),
    ];
    for (const c of calls) expect((await failure(c)).code).toBe("FORBIDDEN");
    expect(await counts()).toEqual(before);
  });
});

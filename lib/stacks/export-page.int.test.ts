// The export page's verb (exportableMachines) and adoption from it: only projects the actor may
// read, live machines with those already in a stack marked, and an adopted set planned in place.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeOffering, makeProject, makeUser } from "../../test/factories";
import { makeMachine } from "../../test/machine-factories";
import { exportableMachines } from "./exportable-machines";
import { exportMachines } from "./export-machines";
import { planStack } from "./apply-stack";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

describe("export from the page", () => {
  it("lists the actor's projects and their live machines; another project's id is not honoured", async () => {
    const user = await makeUser(t.db);
    const mine = await makeProject(t.db);
    const other = await makeProject(t.db);
    await addMember(t.db, mine.id, user.id, "MEMBER");
    const offering = await makeOffering(t.db);
    const [a, b] = [await makeMachine(t.db, { projectId: mine.id, ownerId: user.id, offeringId: offering.id, name: "app-01" }), await makeMachine(t.db, { projectId: mine.id, ownerId: user.id, offeringId: offering.id, name: "app-02" })];
    await makeMachine(t.db, { projectId: mine.id, ownerId: user.id, name: "gone", state: "DELETED" });
    await makeMachine(t.db, { projectId: other.id, ownerId: user.id, name: "secret" });
    const ctx = await ctxFor(t.db, user.id);

    const view = await exportableMachines(ctx, { projectId: other.id });
    expect(view.projects.map((p) => p.id)).toEqual([mine.id]);
    expect(view.projectId).toBe(mine.id);
    expect(view.machines.map((m) => [m.name, m.stackName])).toEqual([["app-01", null], ["app-02", null]]);

    // Adopted: the stack owns them as they are (its plan changes nothing), the page marks them.
    const adopted = await exportMachines(ctx, { projectId: mine.id, machineIds: [a.id, b.id], name: "legacy", adopt: true });
    expect(adopted.yaml).toContain("kind: Stack");
    expect(adopted.stackId).not.toBeNull();
    const plan = await planStack(ctx, { stackId: adopted.stackId! });
    expect(plan.changes).toEqual([]);
    expect((await exportableMachines(ctx, {})).machines.map((m) => [m.name, m.stackName])).toEqual([["app-01", "legacy"], ["app-02", "legacy"]]);
    // Already owned: adopting again is refused.
    await expect(exportMachines(ctx, { projectId: mine.id, machineIds: [a.id], name: "again", adopt: true })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("a user without projects gets an empty page", async () => {
    const lonely = await makeUser(t.db);
    expect(await exportableMachines(await ctxFor(t.db, lonely.id), {})).toEqual({ projects: [], projectId: null, machines: [] });
  });
});

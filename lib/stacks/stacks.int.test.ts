// Stacks against real PostgreSQL and a real worker process on the simulator: apply in
// dependency order, a failure midway (SimFault), approval of a plan, drift healed after a
// machine is removed behind the portal's back, the flapping guard, destroy.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeOffering, makeUser } from "../../test/factories";
import { makeEstate, spawnWorker, stopAllWorkers, waitFor, type Estate } from "../../test/orchestration/harness";
import { saveStack } from "./save-stack";
import { applyStack, destroyStack, planStack } from "./apply-stack";
import { stackStepFaults } from "./advance-stack";
import { runStacks, HEAL_FAILURE_LIMIT } from "./stack-task";
import { approveRequest } from "../approvals/approve-request";
import { syncProviderInventory } from "../providers/sync-inventory";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await spawnWorker(t.url);
}, 60_000);
afterAll(async () => {
  await stopAllWorkers();
  await t?.drop();
});

async function estate(opts: { autoApprove?: boolean } = {}) {
  const e = await makeEstate(t.db, { hosts: 2 });
  await t.db.project.update({ where: { id: e.projectId }, data: { autoApproveBelowCents: opts.autoApprove === false ? null : 1_000_000 } });
  const [project, offering, template] = await Promise.all([
    t.db.project.findUniqueOrThrow({ where: { id: e.projectId } }),
    t.db.offering.findUniqueOrThrow({ where: { id: e.offeringId } }),
    t.db.template.findUniqueOrThrow({ where: { id: e.templateId } }),
  ]);
  const yaml = (webCount = 2, extra = "") => `apiVersion: orquestra/v1
kind: Stack
metadata:
  name: shop
  project: ${project.slug}
parameters:
  webCount: { type: integer, default: ${webCount} }
machines:
  - name: db
    offering: ${offering.name}
    template: ${template.name}
  - name: web
    offering: ${offering.name}
    template: ${template.name}
    count: \${params.webCount}
    dependsOn: [db]
outputs:
  database: \${machines.db.ip}
  web: \${machines.web.names}
${extra}`;
  return { e, yaml, offering };
}

/** Steps the stack task (as the worker's cron would) until the stack reaches one of `states`. */
async function until(e: Estate, stackId: string, states: string[]) {
  return waitFor(`stack in ${states.join("/")}`, async () => {
    await runStacks(t.db, new Date());
    const s = await t.db.stack.findUniqueOrThrow({ where: { id: stackId } });
    return states.includes(s.status) ? s : null;
  }, { everyMs: 300 });
}

describe("stacks on the simulator", () => {
  it("applies in dependency order (database first), outputs, then plans nothing", { timeout: 120_000 }, async () => {
    const { e, yaml } = await estate();
    const owner = await ctxFor(t.db, e.ownerId);
    const saved = await saveStack(owner, { yaml: yaml() });
    const plan = await planStack(owner, { stackId: saved.stackId });
    expect(plan.changes.map((c) => `${c.action} ${c.name}`)).toEqual(["create db", "create web-01", "create web-02"]);
    expect(plan.waves).toEqual([["db"], ["web"]]);
    expect(plan.monthlyDeltaCents).toBe(3000);

    const applied = await applyStack(owner, { stackId: saved.stackId });
    expect(applied.status).toBe("APPLYING");
    // Only the first wave was requested.
    expect((await t.db.request.findMany({ where: { stackId: saved.stackId } })).map((r) => r.stackGroup)).toEqual(["db"]);
    const done = await until(e, saved.stackId, ["APPLIED", "FAILED"]);
    expect(done.statusReason).toBeNull();
    expect(done.status).toBe("APPLIED");
    const machines = await t.db.machine.findMany({ where: { stackId: saved.stackId }, include: { operations: true }, orderBy: { name: "asc" } });
    expect(machines.map((m) => [m.name, m.state])).toEqual([["db", "RUNNING"], ["web-01", "RUNNING"], ["web-02", "RUNNING"]]);
    // The web tier was requested after the database ran.
    const dbReady = machines[0]!.operations.find((o) => o.kind === "PROVISION")!.finishedAt!;
    const webRequest = await t.db.request.findFirstOrThrow({ where: { stackId: saved.stackId, stackGroup: "web" } });
    expect(webRequest.createdAt.getTime()).toBeGreaterThanOrEqual(dbReady.getTime());
    expect(done.outputs).toEqual({ database: machines[0]!.ipAddress, web: "web-01,web-02" });
    expect(machines[0]!.ipAddress).toBeTruthy();
    expect((await planStack(owner, { stackId: saved.stackId })).changes).toEqual([]);
    const audit = await t.db.auditEvent.findMany({ where: { targetId: saved.stackId }, select: { action: true } });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["stack.create", "stack.apply", "stack.apply_done"]));

    // Scale in through a new version; then destroy removes everything.
    await saveStack(owner, { yaml: yaml(1) });
    const scaled = await applyStack(owner, { stackId: saved.stackId });
    expect(scaled.plan.changes.map((c) => `${c.action} ${c.name}`)).toEqual(["delete web-02"]);
    await until(e, saved.stackId, ["APPLIED", "FAILED"]);
    await destroyStack(owner, { stackId: saved.stackId });
    const gone = await until(e, saved.stackId, ["DESTROYED", "FAILED"]);
    expect(gone.status).toBe("DESTROYED");
    expect(await t.db.machine.count({ where: { stackId: saved.stackId, state: { not: "DELETED" } } })).toBe(0);
  });

  it("stops on a failure midway with a clear state (the web tier's provisioning fails)", { timeout: 120_000 }, async () => {
    const { e, yaml } = await estate();
    const owner = await ctxFor(t.db, e.ownerId);
    const saved = await saveStack(owner, { yaml: yaml() });
    await applyStack(owner, { stackId: saved.stackId });
    await waitFor("database running", async () => (await t.db.machine.findFirst({ where: { stackId: saved.stackId, name: "db", state: "RUNNING" } })) ?? null);
    // The database is up; every provision from now on fails for good.
    await t.db.simFault.create({ data: { providerId: e.providerId, operation: "provision", mode: "PERMANENT", message: "out of licences", remaining: null } });
    const failed = await until(e, saved.stackId, ["FAILED", "APPLIED"]);
    expect(failed.status).toBe("FAILED");
    expect(failed.statusReason).toMatch(/^machine web-0[12] failed/);
    // Nothing after the failure was attempted again; the database keeps running.
    expect(await t.db.machine.findFirst({ where: { stackId: saved.stackId, name: "db" } })).toMatchObject({ state: "RUNNING" });
    expect(await t.db.request.count({ where: { stackId: saved.stackId } })).toBe(2);
    const audit = await t.db.auditEvent.findFirst({ where: { targetId: saved.stackId, action: "stack.apply_failed" } });
    expect(audit).not.toBeNull();
    // Both web machines failed (the second may fail after the stack did: it was still
    // provisioning). A failure written late, after the next apply started (as when a machine of
    // the previous run was still provisioning), must not stop that apply: it was not its
    // operation. Its row is dated an hour ahead to make that deterministic.
    await waitFor("both web machines failed", async () => ((await t.db.machine.count({ where: { stackId: saved.stackId, stackGroup: "web", state: "FAILED" } })) === 2 ? true : null));
    await t.db.$executeRaw`update "Machine" set "updatedAt" = now() + interval '1 hour' where "stackId" = ${saved.stackId}::uuid and state = 'FAILED'`;
    // The cause fixed, applying again replaces the failed machines and completes.
    await t.db.simFault.deleteMany({ where: { providerId: e.providerId } });
    const again = await applyStack(owner, { stackId: saved.stackId });
    expect(again.plan.changes.some((c) => c.action === "replace")).toBe(true);
    const recovered = await until(e, saved.stackId, ["APPLIED", "FAILED"]);
    expect(recovered.statusReason).toBeNull();
    expect(recovered.status).toBe("APPLIED");
    const live = await t.db.machine.findMany({ where: { stackId: saved.stackId, state: { not: "DELETED" } }, orderBy: { name: "asc" } });
    expect(live.map((m) => [m.name, m.state])).toEqual([["db", "RUNNING"], ["web-01", "RUNNING"], ["web-02", "RUNNING"]]);
  });

  it("goes through approval: the approver sees the plan, the apply waits, then goes on", { timeout: 120_000 }, async () => {
    const { e, yaml } = await estate({ autoApprove: false });
    const approver = await makeUser(t.db);
    await addMember(t.db, e.projectId, approver.id, "APPROVER");
    const owner = await ctxFor(t.db, e.ownerId);
    const saved = await saveStack(owner, { yaml: yaml(1) });
    const r = await applyStack(owner, { stackId: saved.stackId });
    expect(r.status).toBe("PENDING_APPROVAL");
    const request = await t.db.request.findFirstOrThrow({ where: { stackId: saved.stackId } });
    expect(request.status).toBe("PENDING_APPROVAL");
    expect(request.justification).toContain("Stack shop version 1");
    expect(request.justification).toContain("- create db");
    expect(request.justification).toContain("- create web");
    expect((await t.db.stack.findUniqueOrThrow({ where: { id: saved.stackId } })).statusReason).toBe(`waiting for approval of request #${request.number}`);
    await approveRequest(await ctxFor(t.db, approver.id), { requestId: request.id } as Parameters<typeof approveRequest>[1]);
    // The web tier's request waits for its approval too.
    const web = await waitFor("web request", async () => {
      await runStacks(t.db, new Date());
      return (await t.db.request.findFirst({ where: { stackId: saved.stackId, stackGroup: "web" } })) ?? null;
    }, { everyMs: 300 });
    await approveRequest(await ctxFor(t.db, approver.id), { requestId: web.id } as Parameters<typeof approveRequest>[1]);
    expect((await until(e, saved.stackId, ["APPLIED", "FAILED"])).status).toBe("APPLIED");
  });

  it("a rejected request fails the apply", { timeout: 60_000 }, async () => {
    const { e, yaml } = await estate({ autoApprove: false });
    const owner = await ctxFor(t.db, e.ownerId);
    const saved = await saveStack(owner, { yaml: yaml(1) });
    await applyStack(owner, { stackId: saved.stackId });
    const request = await t.db.request.findFirstOrThrow({ where: { stackId: saved.stackId } });
    await t.db.request.update({ where: { id: request.id }, data: { status: "REJECTED", decisionReason: "too big" } });
    await runStacks(t.db, new Date());
    expect(await t.db.stack.findUniqueOrThrow({ where: { id: saved.stackId } })).toMatchObject({ status: "FAILED", statusReason: `request #${request.number} (db) was rejected: too big` });
  });

  it("heals: a machine removed behind the portal's back (missing on its provider) is recreated", { timeout: 120_000 }, async () => {
    const { e, yaml } = await estate();
    const owner = await ctxFor(t.db, e.ownerId);
    const saved = await saveStack(owner, { yaml: yaml(1, "healing: auto\n") });
    await applyStack(owner, { stackId: saved.stackId });
    await until(e, saved.stackId, ["APPLIED", "FAILED"]);
    const web = await t.db.machine.findFirstOrThrow({ where: { stackId: saved.stackId, name: "web" } });
    // Removed on the provider itself; the inventory sync finds it missing.
    await t.db.simMachine.deleteMany({ where: { providerId: e.providerId, idempotencyKey: web.id } });
    await syncProviderInventory(t.db, e.providerId, new Date());
    expect(await t.db.machine.findUniqueOrThrow({ where: { id: web.id } })).toMatchObject({ drifted: true });
    const s = await runStacks(t.db, new Date());
    expect(s.drifted).toBe(1);
    const healing = await t.db.stack.findUniqueOrThrow({ where: { id: saved.stackId } });
    expect(healing.runKind).toBe("heal");
    expect(healing.drift).toEqual(["recreate web (missing on its provider)"]);
    const healed = await until(e, saved.stackId, ["APPLIED", "FAILED"]);
    expect(healed.status).toBe("APPLIED");
    const now = await t.db.machine.findMany({ where: { stackId: saved.stackId, state: { not: "DELETED" } }, orderBy: { name: "asc" } });
    expect(now.map((m) => [m.name, m.state])).toEqual([["db", "RUNNING"], ["web", "RUNNING"]]);
    expect(now[1]!.id).not.toBe(web.id);
    expect(await t.db.auditEvent.findFirst({ where: { targetId: saved.stackId, action: "stack.heal" } })).not.toBeNull();
  });

  it("report mode records drift (a machine stopped) without changing anything", { timeout: 120_000 }, async () => {
    const { e, yaml } = await estate();
    const owner = await ctxFor(t.db, e.ownerId);
    const saved = await saveStack(owner, { yaml: yaml(1) });
    await applyStack(owner, { stackId: saved.stackId });
    await until(e, saved.stackId, ["APPLIED", "FAILED"]);
    const web = await t.db.machine.findFirstOrThrow({ where: { stackId: saved.stackId, name: "web" } });
    await t.db.machine.update({ where: { id: web.id }, data: { state: "STOPPED" } });
    const ops = await t.db.operation.count({ where: { machineId: web.id } });
    const r = await runStacks(t.db, new Date());
    expect(r.drifted).toBeGreaterThanOrEqual(1);
    const s = await t.db.stack.findUniqueOrThrow({ where: { id: saved.stackId } });
    expect(s).toMatchObject({ status: "APPLIED", drift: ["start web"] });
    expect(await t.db.operation.count({ where: { machineId: web.id } })).toBe(ops);
    expect(await t.db.auditEvent.findFirst({ where: { targetId: saved.stackId, action: "stack.drift" } })).not.toBeNull();
  });

  it("a crash right after a request is submitted leaves it owned by the stack: the next apply submits nothing twice", { timeout: 120_000 }, async () => {
    const { e, yaml } = await estate();
    const owner = await ctxFor(t.db, e.ownerId);
    const saved = await saveStack(owner, { yaml: yaml(1) });
    // The step dies between the request's commit and anything the stack would do after it.
    let crashed = 0;
    stackStepFaults.afterSubmit = async () => {
      crashed++;
      throw new Error("simulated crash after submitRequest");
    };
    try {
      await applyStack(owner, { stackId: saved.stackId });
    } finally {
      stackStepFaults.afterSubmit = undefined;
    }
    expect(crashed).toBe(1);
    const [request] = await t.db.request.findMany({ where: { projectId: e.projectId } });
    // The link was written with the request itself.
    expect(request).toMatchObject({ stackId: saved.stackId, stackGroup: "db" });
    expect(request!.stackVersionId).not.toBeNull();
    const stopped = await t.db.stack.findUniqueOrThrow({ where: { id: saved.stackId } });
    expect(stopped.status).toBe("FAILED");
    expect(stopped.statusReason).toContain("an unexpected error stopped the apply");

    // Applying again finds the database the crashed step asked for; it creates only the rest.
    const again = await applyStack(owner, { stackId: saved.stackId });
    expect(again.plan.changes.map((c) => `${c.action} ${c.name}`)).toEqual(["create web"]);
    const done = await until(e, saved.stackId, ["APPLIED", "FAILED"]);
    expect(done.statusReason).toBeNull();
    expect(done.status).toBe("APPLIED");
    const requests = await t.db.request.findMany({ where: { projectId: e.projectId }, orderBy: { number: "asc" } });
    expect(requests.map((r) => [r.stackId, r.stackGroup])).toEqual([[saved.stackId, "db"], [saved.stackId, "web"]]);
    const machines = await t.db.machine.findMany({ where: { projectId: e.projectId, state: { not: "DELETED" } }, orderBy: { name: "asc" } });
    expect(machines.map((m) => [m.name, m.stackId, m.state])).toEqual([["db", saved.stackId, "RUNNING"], ["web", saved.stackId, "RUNNING"]]);
  });

  it("flapping guard: healing a resize made out of band fails on the provider; after the limit healing pauses and the owners are notified", { timeout: 120_000 }, async () => {
    const { e, yaml } = await estate();
    const owner = await ctxFor(t.db, e.ownerId);
    const bigger = await makeOffering(t.db, { vcpu: 4, memoryMb: 8192, diskGb: 50, monthlyPriceCents: 2000 });
    const saved = await saveStack(owner, { yaml: yaml(1, "healing: auto\n") });
    await applyStack(owner, { stackId: saved.stackId });
    await until(e, saved.stackId, ["APPLIED", "FAILED"]);
    // Resized behind the stack's back: the document wants the old offering; healing resizes,
    // and every resize fails on the provider.
    const web = await t.db.machine.findFirstOrThrow({ where: { stackId: saved.stackId, name: "web" } });
    await t.db.machine.update({ where: { id: web.id }, data: { offeringId: bigger.id, vcpu: 4, memoryMb: 8192 } });
    await t.db.simFault.create({ data: { providerId: e.providerId, operation: "resize", mode: "PERMANENT", remaining: null } });
    const paused = await waitFor("healing paused", async () => {
      await runStacks(t.db, new Date());
      const s = await t.db.stack.findUniqueOrThrow({ where: { id: saved.stackId } });
      return s.healPausedAt ? s : null;
    }, { everyMs: 300 });
    expect(paused.healFailures).toBe(HEAL_FAILURE_LIMIT);
    expect(paused.status).toBe("FAILED");
    const notes = await t.db.notification.findMany({ where: { kind: "stack.healingPaused" } });
    expect(notes.map((n) => n.userId)).toContain(e.ownerId);
    // Paused: the next runs only report.
    const before = await t.db.operation.count({ where: { machineId: web.id } });
    await runStacks(t.db, new Date());
    expect(await t.db.operation.count({ where: { machineId: web.id } })).toBe(before);
    await t.db.simFault.deleteMany({ where: { providerId: e.providerId } });
  });
});

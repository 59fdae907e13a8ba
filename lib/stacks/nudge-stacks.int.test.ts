// The stack task brought forward (lib/stacks/nudge-stacks.ts), against real PostgreSQL and the
// engine run in-process (no worker: the jobs it queues stay in graphile-worker's table to be
// seen): a stack's request settling, a stack machine's delete and a stack workload's operation
// queue the stack task to run now; a request outside any stack does not; the pass it triggers
// moves the apply on.
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeOffering, makeProject, makeUser } from "../../test/factories";
import { makeProvider } from "../../test/machine-factories";
import { approve, makeEstate } from "../../test/orchestration/harness";
import { drainMachine } from "../orchestration/run-operation";
import { DEFAULT_RETRY_POLICY } from "../orchestration/backoff";
import { deleteMachine } from "../machines/delete-machine";
import { drainWorkload } from "../workloads/engine";
import { saveStack } from "./save-stack";
import { applyStack } from "./apply-stack";
import { runStacks, STACKS_TASK } from "./stack-task";

let t: TestDatabase;
beforeAll(async () => {
  process.env.ORQ_SIM_LATENCY_MS = "0";
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const engine = () => ({ db: t.db, now: () => new Date(), retry: DEFAULT_RETRY_POLICY, log: pino({ level: "silent" }) });
/** The stack task's queued jobs, with their run time. */
const stackJobs = () =>
  t.db.$queryRaw<{ key: string | null; queue: string | null; due: boolean }[]>`
    select j.key, q.queue_name as queue, j.run_at <= now() as due
      from graphile_worker._private_jobs j
      join graphile_worker._private_tasks k on k.id = j.task_id
      left join graphile_worker._private_job_queues q on q.id = j.job_queue_id
     where k.identifier = ${STACKS_TASK}`;
const clearStackJobs = () =>
  t.db.$executeRaw`delete from graphile_worker._private_jobs j using graphile_worker._private_tasks k where k.id = j.task_id and k.identifier = ${STACKS_TASK}`;

describe("the stack task is brought forward", () => {
  it("when a stack's request settles and when a stack machine is deleted; never for other machines", { timeout: 120_000 }, async () => {
    const e = await makeEstate(t.db, { hosts: 1 });
    await t.db.project.update({ where: { id: e.projectId }, data: { autoApproveBelowCents: 1_000_000 } });
    const [project, offering, template] = await Promise.all([
      t.db.project.findUniqueOrThrow({ where: { id: e.projectId } }),
      t.db.offering.findUniqueOrThrow({ where: { id: e.offeringId } }),
      t.db.template.findUniqueOrThrow({ where: { id: e.templateId } }),
    ]);
    const owner = await ctxFor(t.db, e.ownerId);

    // A machine outside any stack: provisioned and deleted, no stack run queued.
    const plain = await approve(t.db, e);
    await drainMachine(engine(), plain.machineIds[0]!);
    const plainMachine = await t.db.machine.findUniqueOrThrow({ where: { id: plain.machineIds[0]! } });
    expect(plainMachine.state).toBe("RUNNING");
    await deleteMachine(owner, { machineId: plainMachine.id, confirmName: plainMachine.name });
    await drainMachine(engine(), plainMachine.id);
    expect((await t.db.machine.findUniqueOrThrow({ where: { id: plainMachine.id } })).state).toBe("DELETED");
    expect(await stackJobs()).toEqual([]);

    // A stack: its first wave (db) is requested and auto-approved; nothing queued yet.
    const saved = await saveStack(owner, {
      yaml: `apiVersion: orquestra/v1
kind: Stack
metadata:
  name: nudged
  project: ${project.slug}
machines:
  - name: db
    offering: ${offering.name}
    template: ${template.name}
  - name: web
    offering: ${offering.name}
    template: ${template.name}
    dependsOn: [db]
`,
    });
    await applyStack(owner, { stackId: saved.stackId });
    const dbRequest = await t.db.request.findFirstOrThrow({ where: { stackId: saved.stackId, stackGroup: "db" } });
    const dbMachine = await t.db.machine.findFirstOrThrow({ where: { requestId: dbRequest.id } });
    expect(await stackJobs()).toEqual([]);

    // Its machine runs: the request settles (FULFILLED) and the stack task is due now.
    await drainMachine(engine(), dbMachine.id);
    expect((await t.db.request.findUniqueOrThrow({ where: { id: dbRequest.id } })).status).toBe("FULFILLED");
    expect(await stackJobs()).toEqual([{ key: STACKS_TASK, queue: STACKS_TASK, due: true }]);
    // A second nudge while one is pending collapses into it.
    await drainMachine(engine(), dbMachine.id);
    expect(await stackJobs()).toHaveLength(1);

    // The pass it runs moves the apply to the next wave.
    await runStacks(t.db, new Date());
    expect(await t.db.request.count({ where: { stackId: saved.stackId, stackGroup: "web" } })).toBe(1);
    expect((await t.db.machine.findUniqueOrThrow({ where: { id: dbMachine.id } })).stackId).toBe(saved.stackId);

    // Deleting the stack's database machine by hand queues it again (its drift is checked now).
    await clearStackJobs();
    await deleteMachine(owner, { machineId: dbMachine.id, confirmName: dbMachine.name });
    expect(await stackJobs()).toEqual([]);
    await drainMachine(engine(), dbMachine.id);
    expect((await t.db.machine.findUniqueOrThrow({ where: { id: dbMachine.id } })).state).toBe("DELETED");
    expect(await stackJobs()).toEqual([{ key: STACKS_TASK, queue: STACKS_TASK, due: true }]);
  });

  it("when a stack's workload is deployed", { timeout: 120_000 }, async () => {
    await clearStackJobs();
    const user = await makeUser(t.db);
    const project = await makeProject(t.db, { quotaVcpu: 100, quotaMemoryMb: 100_000, autoApproveBelowCents: 1_000_000 });
    await addMember(t.db, project.id, user.id, "MEMBER");
    const provider = await makeProvider(t.db, { kind: "SIMULATOR" });
    await t.db.projectProvider.create({ data: { projectId: project.id, providerId: provider.id } });
    const offering = await makeOffering(t.db, { vcpu: 1, memoryMb: 256, monthlyPriceCents: 700 });
    const owner = await ctxFor(t.db, user.id);
    const saved = await saveStack(owner, {
      yaml: `apiVersion: orquestra/v1
kind: Stack
metadata:
  name: lb
  project: ${project.slug}
workloads:
  - name: cache
    image: localhost/busybox:latest
    offering: ${offering.name}
  - name: api
    image: localhost/busybox:latest
    command: [sleep, "3600"]
    offering: ${offering.name}
    dependsOn: [cache]
`,
    });
    await applyStack(owner, { stackId: saved.stackId });
    const cache = await t.db.workload.findFirstOrThrow({ where: { projectId: project.id, name: "cache" } });
    expect(await stackJobs()).toEqual([]);
    await drainWorkload({ ...engine(), retry: { baseMs: 1, maxMs: 5, maxAttempts: 3, jitter: 0 } }, cache.id);
    expect((await t.db.workload.findUniqueOrThrow({ where: { id: cache.id } })).state).toBe("RUNNING");
    expect(await stackJobs()).toEqual([{ key: STACKS_TASK, queue: STACKS_TASK, due: true }]);
    // The pass it runs requests the next wave.
    await runStacks(t.db, new Date());
    expect(await t.db.workload.count({ where: { projectId: project.id, name: "api" } })).toBe(1);
  });
});

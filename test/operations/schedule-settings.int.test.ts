// What the machine page's Schedules and Availability panels and the project form rely on:
// a schedule only of actions the machine's provider can do, retention of scheduled
// snapshots (keep), the panel's view (targets, stop window), and a project's time zone that
// moves its schedules' next runs. No workers: the verbs and one scheduler tick, directly.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db";
import { addMember, ctxFor, makeProject, makeUser } from "../factories";
import { makeMachine } from "../machine-factories";
import type { Ctx } from "../../lib/context";
import type { Db } from "../../lib/db/client";
import { AppError } from "../../lib/errors";
import { createSchedule } from "../../lib/schedules/create-schedule";
import { listSchedules } from "../../lib/schedules/list-schedules";
import { setMachineAvailability } from "../../lib/schedules/set-machine-availability";
import { createScheduleSchema, setMachineAvailabilitySchema } from "../../lib/schedules/schemas";
import { fireDueSchedules } from "../../lib/schedules/fire";
import { updateProject } from "../../lib/projects/update-project";
import { updateProjectSchema } from "../../lib/projects/schemas";
import { logger } from "../../lib/log/logger";

let t: TestDatabase;
let db: Db;
let admin: Ctx;
let ownerId: string;
let viewerId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  admin = await ctxFor(db, (await makeUser(db, { role: "ADMIN" })).id);
  ownerId = (await makeUser(db)).id;
  viewerId = (await makeUser(db)).id;
});
afterAll(async () => t?.drop());

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** A project with a member (who owns its machines) and a viewer; their contexts see it. */
async function project() {
  const p = await makeProject(db);
  await addMember(db, p.id, ownerId, "MEMBER");
  await addMember(db, p.id, viewerId, "VIEWER");
  return { ...p, member: await ctxFor(db, ownerId), viewer: await ctxFor(db, viewerId) };
}

describe("schedules of a machine", () => {
  it("refuses an action the machine's provider cannot do, and a keep on anything but snapshots", async () => {
    const p = await project();
    const { member } = p;
    const docker = await makeMachine(db, { projectId: p.id, ownerId, providerKind: "DOCKER" });
    const err = await failure(createSchedule(member, createScheduleSchema.parse({ machineId: docker.id, name: "nightly", action: "SNAPSHOT_CREATE", cron: "0 2 * * *" })));
    expect(err.code).toBe("VALIDATION");
    expect(Object.keys(err.details?.fields ?? {})).toEqual(["action"]);
    // What it can do is accepted.
    await createSchedule(member, createScheduleSchema.parse({ machineId: docker.id, name: "evenings off", action: "STOP", cron: "0 20 * * 1-5" }));
    expect(await db.schedule.count({ where: { machineId: docker.id } })).toBe(1);
    const keepOnStop = createScheduleSchema.safeParse({ machineId: docker.id, name: "x", action: "STOP", cron: "0 20 * * 1-5", keep: 3 });
    expect(keepOnStop.success).toBe(false);
    expect(keepOnStop.error?.issues.map((i) => i.path.join("."))).toEqual(["keep"]);
    for (const keep of [0, 101, 2.5]) expect(createScheduleSchema.safeParse({ machineId: docker.id, name: "x", action: "SNAPSHOT_CREATE", cron: "0 2 * * *", keep }).success, String(keep)).toBe(false);
  });

  it("lists keep, the backup targets and the stop window for the panel; a viewer sees but may not manage", async () => {
    const p = await project();
    const { member, viewer } = p;
    await db.project.update({ where: { id: p.id }, data: { timeZone: "Europe/Lisbon" } });
    const m = await makeMachine(db, { projectId: p.id, ownerId });
    const target = await db.backupTarget.create({
      data: { name: `store-${p.slug}`, endpoint: "http://127.0.0.1:9", bucket: "b" },
    });
    await createSchedule(member, createScheduleSchema.parse({ machineId: m.id, name: "nightly snapshot", action: "SNAPSHOT_CREATE", cron: "0 2 * * *", keep: "7" }));
    // A stop window of two hours from 02:00 Lisbon on weekends; now is Saturday 02:30 there.
    await setMachineAvailability(member, setMachineAvailabilitySchema.parse({ machineId: m.id, highlyAvailable: true, stopWindowCron: "0 2 * * 0,6", stopWindowMinutes: "120" }));
    const at = () => new Date("2026-12-05T02:30:00Z");
    const view = await listSchedules({ ...member, now: at }, { machineId: m.id });
    expect(view.timeZone).toBe("Europe/Lisbon");
    expect(view.canManage).toBe(true);
    expect(view.targets).toContainEqual({ id: target.id, name: target.name });
    expect(view.items).toMatchObject([{ name: "nightly snapshot", action: "SNAPSHOT_CREATE", keep: 7, timeZone: "Europe/Lisbon", scope: "machine" }]);
    expect(view.availability).toMatchObject({
      highlyAvailable: true,
      stopWindowCron: "0 2 * * 0,6",
      stopWindowMinutes: 120,
      stopWindow: { open: true, closesAt: "2026-12-05T04:00:00.000Z" },
    });
    const seen = await listSchedules({ ...viewer, now: at }, { machineId: m.id });
    expect(seen.canManage).toBe(false);
    expect(seen.targets).toEqual([]);
    expect(seen.items).toHaveLength(1);
    expect((await failure(createSchedule(viewer, createScheduleSchema.parse({ machineId: m.id, name: "x", action: "STOP", cron: "0 20 * * *" })))).code).toBe("FORBIDDEN");
  });
});

describe("retention of scheduled snapshots", () => {
  const runAt = new Date("2026-12-04T02:00:10Z");

  async function machineWithSnapshots(names: string[]) {
    const p = await project();
    const m = await makeMachine(db, { projectId: p.id, ownerId, state: "STOPPED" });
    let i = 0;
    for (const name of names) await db.snapshot.create({ data: { machineId: m.id, name, createdAt: new Date(Date.UTC(2026, 11, 1, 2, i++)) } });
    const s = await db.schedule.create({
      data: { projectId: p.id, machineId: m.id, name: "nightly", action: "SNAPSHOT_CREATE", cron: "0 2 * * *", timeZone: "UTC", params: { keep: 2 }, nextRunAt: new Date("2026-12-04T02:00:00Z") },
    });
    return { p, m, s };
  }

  const deletions = (machineId: string) =>
    db.operation.findMany({ where: { machineId, kind: "SNAPSHOT_DELETE" }, orderBy: { createdAt: "asc" } }).then((ops) => ops.map((o) => (o.params as { snapshotId: string }).snapshotId));

  it("deletes the scheduled snapshots beyond the newest keep, behind the new one, once per occurrence; manual ones are kept", async () => {
    const { m, s } = await machineWithSnapshots(["sched-20261128-0200", "sched-20261129-0200", "before upgrade", "sched-20261130-0200", "sched-20261201-0200"]);
    const snaps = Object.fromEntries((await db.snapshot.findMany({ where: { machineId: m.id } })).map((x) => [x.name, x.id]));
    await fireDueSchedules(db, runAt, logger);
    await fireDueSchedules(db, runAt, logger);
    const ops = await db.operation.findMany({ where: { machineId: m.id }, orderBy: { createdAt: "asc" } });
    // One operation table row per request; the machine's queue runs them in request order.
    expect(ops.map((o) => o.kind).sort()).toEqual(["SNAPSHOT_CREATE", "SNAPSHOT_DELETE", "SNAPSHOT_DELETE"]);
    expect(ops.find((o) => o.kind === "SNAPSHOT_CREATE")?.params).toMatchObject({ name: "sched-20261204-0200", scheduleId: s.id });
    expect(new Set(await deletions(m.id))).toEqual(new Set([snaps["sched-20261128-0200"], snaps["sched-20261129-0200"]]));
    expect(ops.every((o) => o.status === "QUEUED")).toBe(true);
    expect((await db.machine.findUniqueOrThrow({ where: { id: m.id } })).version).toBe(m.version + 3);
    const run = await db.auditEvent.findFirstOrThrow({ where: { action: "schedule.run", targetId: s.id } });
    expect(run.after).toMatchObject({ operations: 1, snapshotsPruned: 2 });

    // The next night: the deletions still queued are not requested twice.
    await fireDueSchedules(db, new Date("2026-12-05T02:00:10Z"), logger);
    expect(await deletions(m.id)).toHaveLength(2);
    expect(await db.operation.count({ where: { machineId: m.id, kind: "SNAPSHOT_CREATE" } })).toBe(2);
  });

  it("prunes nothing when the project has switched deleting snapshots off", async () => {
    const { p, m } = await machineWithSnapshots(["sched-20261128-0200", "sched-20261129-0200", "sched-20261130-0200"]);
    await db.project.update({ where: { id: p.id }, data: { disabledActions: ["SNAPSHOT_DELETE"] } });
    await fireDueSchedules(db, runAt, logger);
    expect(await db.operation.count({ where: { machineId: m.id, kind: "SNAPSHOT_CREATE" } })).toBe(1);
    expect(await deletions(m.id)).toEqual([]);
  });
});

describe("a project's time zone", () => {
  const fields = (p: { id: string; name: string; slug: string }, over: Record<string, unknown> = {}) =>
    updateProjectSchema.parse({
      id: p.id,
      name: p.name,
      slug: p.slug,
      description: "",
      quotaVcpu: 100,
      quotaMemoryGib: 1024,
      quotaDiskSsdGb: 100000,
      quotaDiskHddGb: 100000,
      quotaMachines: 100,
      monthlyBudget: "",
      autoApproveBelow: "",
      maxLeaseDays: null,
      leaseGraceDays: 7,
      disabledActions: [],
      ...over,
    });

  it("moves the next runs of its enabled schedules, keeps paused ones paused, and is kept when omitted", async () => {
    const p = await project();
    const { member } = p;
    const now = () => new Date("2026-12-04T12:00:00Z");
    const m = await makeMachine(db, { projectId: p.id, ownerId });
    await createSchedule({ ...member, now }, createScheduleSchema.parse({ machineId: m.id, name: "evenings off", action: "STOP", cron: "0 20 * * 1-5" }));
    const paused = await db.schedule.create({ data: { projectId: p.id, name: "paused", action: "START", cron: "0 7 * * *", timeZone: "UTC", enabled: false, nextRunAt: null } });
    expect((await db.schedule.findFirstOrThrow({ where: { machineId: m.id } })).nextRunAt?.toISOString()).toBe("2026-12-04T20:00:00.000Z");

    await updateProject({ ...admin, now }, fields(p, { timeZone: "America/Sao_Paulo" }));
    const moved = await db.schedule.findFirstOrThrow({ where: { machineId: m.id } });
    expect(moved.timeZone).toBe("America/Sao_Paulo");
    expect(moved.nextRunAt?.toISOString()).toBe("2026-12-04T23:00:00.000Z");
    expect(await db.schedule.findUniqueOrThrow({ where: { id: paused.id } })).toMatchObject({ timeZone: "America/Sao_Paulo", enabled: false, nextRunAt: null });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "project.update", targetId: p.id } });
    expect(audit.before).toMatchObject({ timeZone: "UTC" });
    expect(audit.after).toMatchObject({ timeZone: "America/Sao_Paulo", schedulesRetimed: 2 });

    // An update without the field (an API client written before it) keeps the zone.
    await updateProject({ ...admin, now }, fields(p, { quotaVcpu: 99 }));
    expect((await db.project.findUniqueOrThrow({ where: { id: p.id } })).timeZone).toBe("America/Sao_Paulo");
    // New schedules take the project's zone.
    const created = await createSchedule({ ...member, now }, createScheduleSchema.parse({ machineId: m.id, name: "mornings on", action: "START", cron: "0 7 * * 1-5" }));
    expect(created).toMatchObject({ timeZone: "America/Sao_Paulo", nextRunAt: "2026-12-07T10:00:00.000Z" });
  });

  it("refuses a zone that is not an IANA zone", () => {
    const p = { id: "00000000-0000-4000-8000-000000000000", name: "P", slug: "p" };
    for (const tz of ["Mars/Olympus", "", "x".repeat(65)]) {
      const r = updateProjectSchema.safeParse({ ...fields(p), timeZone: tz });
      expect(r.success, tz).toBe(false);
      expect(r.error?.issues[0].message).toBe("projects.validation.timeZoneInvalid");
    }
  });
});

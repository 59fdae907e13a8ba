// The lease sweep selects exactly the machines that are due, in SQL, and walks them with a
// keyset cursor: however many machines sit in their grace period (or were reminded already),
// a machine that became due is handled in the same sweep.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { makeOffering, makeProject, makeTemplate, makeUser } from "../../test/factories";
import { jobsFor } from "../../test/machine-factories";
import type { Db } from "../db/client";
import type { MachineState } from "../generated/prisma/enums";
import { reservationOf } from "../machines/reservation";
import { sweepLeases } from "./leases";

const NOW = new Date("2031-05-10T12:00:00.000Z");
const DAY = 24 * 3600_000;
const at = (ms: number) => new Date(NOW.getTime() + ms);

let t: TestDatabase;
let db: Db;
let base: { projectId: string; ownerId: string; offeringId: string; templateId: string; reservation: ReturnType<typeof reservationOf> };

interface Row {
  state: MachineState;
  leaseEndsAt: Date | null;
  leaseNotifiedAt?: Date | null;
  name?: string;
}

// Ids grow in insertion order: rows inserted later sort after earlier ones by id too, so a
// sweep that took "the first N by id" (Prisma's default order with `take`) would miss them.
let seq = 0;
const nextId = () => `00000000-0000-4000-8000-${(++seq).toString(16).padStart(12, "0")}`;

/** Inserts machines in one statement (in `rows` order), returns their ids in that order. */
async function machines(rows: Row[]): Promise<string[]> {
  const data = rows.map((r, i) => ({
    id: nextId(),
    projectId: base.projectId,
    ownerId: base.ownerId,
    offeringId: base.offeringId,
    templateId: base.templateId,
    ...base.reservation,
    name: r.name ?? `vm-${seq}-${i}`,
    state: r.state,
    leaseEndsAt: r.leaseEndsAt,
    leaseNotifiedAt: r.leaseNotifiedAt ?? null,
  }));
  await db.machine.createMany({ data });
  return data.map((d) => d.id);
}

const notices = (kind: string, machineId?: string) =>
  db.notification.count({ where: { kind, ...(machineId ? { params: { path: ["machineId"], equals: machineId } } : {}) } });

beforeEach(async () => {
  t = await createTestDatabase();
  db = t.db;
  const project = await makeProject(db);
  await db.project.update({ where: { id: project.id }, data: { leaseGraceDays: 7 } });
  const owner = await makeUser(db);
  const offering = await makeOffering(db);
  const template = await makeTemplate(db);
  base = { projectId: project.id, ownerId: owner.id, offeringId: offering.id, templateId: template.id, reservation: reservationOf(offering) };
});

afterEach(async () => {
  await t?.drop();
});

describe("lease sweep", () => {
  it("stops and notifies a newly expired running machine behind 1,200 machines in their grace period, in one sweep", async () => {
    // Stopped, told, and within the 7-day grace period: nothing to do for any of them.
    const inGrace = await machines(
      Array.from({ length: 1200 }, (_, i) => ({
        state: "STOPPED" as const,
        leaseEndsAt: at(-2 * DAY - i * 1000),
        leaseNotifiedAt: at(-2 * DAY + 3600_000),
      })),
    );
    const [fresh] = await machines([{ state: "RUNNING", leaseEndsAt: at(-60_000), leaseNotifiedAt: at(-3 * DAY), name: "fresh" }]);
    const before = await db.machine.aggregate({ where: { id: { in: inGrace } }, _sum: { version: true } });

    const r = await sweepLeases(db, NOW);
    expect(r).toEqual({ reminded: 0, stopped: 1, expiredNotices: 1, deleted: 0 });

    const m = await db.machine.findUniqueOrThrow({ where: { id: fresh } });
    expect(m.state).toBe("STOPPING");
    expect(m.leaseNotifiedAt?.toISOString()).toBe(NOW.toISOString());
    const ops = await db.operation.findMany({ where: {} });
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({ machineId: fresh, kind: "STOP", status: "QUEUED" });
    expect(ops[0].params).toMatchObject({ reason: "lease.expired", fromState: "RUNNING" });
    expect((await jobsFor(db)).map((j) => j.payload.machineId)).toEqual([fresh]);
    expect(await notices("lease.expired", fresh)).toBe(1);
    expect(await db.notification.count()).toBe(1);
    // The machines in grace were not touched.
    const after = await db.machine.aggregate({ where: { id: { in: inGrace } }, _sum: { version: true } });
    expect(after._sum.version).toBe(before._sum.version);

    // Done once: the next sweep finds nothing.
    expect(await sweepLeases(db, at(60_000))).toEqual({ reminded: 0, stopped: 0, expiredNotices: 0, deleted: 0 });
  });

  it("reminds an owner whose lease became due behind more than a batch of machines already reminded", async () => {
    await machines(
      Array.from({ length: 1100 }, (_, i) => ({
        state: "RUNNING" as const,
        leaseEndsAt: at(2 * DAY + i * 1000),
        leaseNotifiedAt: at(-3600_000),
      })),
    );
    // Due: never reminded; and reminded before its lease was extended (the reminder is due
    // again for the new end).
    const [due, extended] = await machines([
      { state: "RUNNING", leaseEndsAt: at(6.5 * DAY), name: "due" },
      { state: "STOPPED", leaseEndsAt: at(6.9 * DAY), leaseNotifiedAt: at(-20 * DAY), name: "extended" },
    ]);
    // Not due: ends in more than 7 days; already gone.
    const [later] = await machines([
      { state: "RUNNING", leaseEndsAt: at(8 * DAY), name: "later" },
      { state: "DELETED", leaseEndsAt: at(3 * DAY), name: "gone" },
    ]);

    const r = await sweepLeases(db, NOW);
    expect(r).toEqual({ reminded: 2, stopped: 0, expiredNotices: 0, deleted: 0 });
    expect(await db.notification.count()).toBe(2);
    const note = await db.notification.findFirstOrThrow({ where: { kind: "lease.expiring", params: { path: ["machineId"], equals: due } } });
    expect(note.params).toMatchObject({ machineName: "due", days: 7, leaseEndsAt: at(6.5 * DAY).toISOString() });
    expect(await notices("lease.expiring", extended)).toBe(1);
    // A day later only the machine that now ends within 7 days is reminded.
    expect(await sweepLeases(db, at(DAY))).toEqual({ reminded: 1, stopped: 0, expiredNotices: 0, deleted: 0 });
    expect(await notices("lease.expiring", later)).toBe(1);
  });

  it("handles every kind of due machine in one sweep, walking batches smaller than the due set", async () => {
    const grace = 7 * DAY;
    const ids = await machines([
      // Expired and never told: stop and tell (3 of them, more than a batch of 2).
      { state: "RUNNING", leaseEndsAt: at(-DAY), name: "run-a" },
      { state: "RUNNING", leaseEndsAt: at(-DAY + 1), name: "run-b" },
      { state: "RUNNING", leaseEndsAt: at(-10_000), name: "run-c" },
      // Told already, but running again (started by its owner, or a stop that failed): stop again.
      { state: "RUNNING", leaseEndsAt: at(-3 * DAY), leaseNotifiedAt: at(-3 * DAY + 60_000), name: "run-told" },
      // Past the grace period: delete.
      { state: "STOPPED", leaseEndsAt: at(-grace - 60_000), leaseNotifiedAt: at(-grace), name: "old-stopped" },
      { state: "FAILED", leaseEndsAt: at(-grace - 2 * DAY), leaseNotifiedAt: at(-grace - DAY), name: "old-failed" },
      { state: "RUNNING", leaseEndsAt: at(-grace - DAY), leaseNotifiedAt: at(-grace), name: "old-running" },
      // Past the grace period but busy: told, not deleted now (the next sweep does it).
      { state: "STOPPING", leaseEndsAt: at(-grace - DAY), name: "old-stopping" },
      // Not due: in grace and told; gone; deleting; far from its end; no lease at all.
      { state: "STOPPED", leaseEndsAt: at(-DAY), leaseNotifiedAt: at(-DAY + 1000), name: "in-grace" },
      { state: "DELETED", leaseEndsAt: at(-30 * DAY), name: "deleted" },
      { state: "DELETING", leaseEndsAt: at(-30 * DAY), name: "deleting" },
      { state: "RUNNING", leaseEndsAt: at(30 * DAY), name: "far" },
      { state: "RUNNING", leaseEndsAt: null, name: "unleased" },
    ]);
    const id = Object.fromEntries(
      (await db.machine.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((m) => [m.name, m.id]),
    );

    const r = await sweepLeases(db, NOW, undefined, { batchSize: 2 });
    expect(r).toEqual({ reminded: 0, stopped: 4, expiredNotices: 4, deleted: 3 });

    const states = Object.fromEntries((await db.machine.findMany({ where: { id: { in: ids } } })).map((m) => [m.name, m.state]));
    expect(states).toEqual({
      "run-a": "STOPPING",
      "run-b": "STOPPING",
      "run-c": "STOPPING",
      "run-told": "STOPPING",
      "old-stopped": "DELETING",
      "old-failed": "DELETING",
      "old-running": "DELETING",
      "old-stopping": "STOPPING",
      "in-grace": "STOPPED",
      deleted: "DELETED",
      deleting: "DELETING",
      far: "RUNNING",
      unleased: "RUNNING",
    });
    const ops = await db.operation.findMany({ include: { machine: { select: { name: true } } } });
    expect(Object.fromEntries(ops.map((o) => [o.machine.name, o.kind]))).toEqual({
      "run-a": "STOP",
      "run-b": "STOP",
      "run-c": "STOP",
      "run-told": "STOP",
      "old-stopped": "DELETE",
      "old-failed": "DELETE",
      "old-running": "DELETE",
    });
    for (const name of ["run-a", "run-b", "run-c", "old-stopping"]) expect(await notices("lease.expired", id[name])).toBe(1);
    expect(await db.notification.count()).toBe(4);
    const deleteNote = await db.notification.findFirstOrThrow({ where: { params: { path: ["machineId"], equals: id["run-a"] } } });
    expect(deleteNote.params).toMatchObject({ deleteAt: new Date(at(-DAY).getTime() + grace).toISOString() });

    // Nothing is done twice; the stopping machine past its grace is deleted once it is stopped.
    expect(await sweepLeases(db, at(1000), undefined, { batchSize: 2 })).toEqual({ reminded: 0, stopped: 0, expiredNotices: 0, deleted: 0 });
    await db.machine.update({ where: { id: id["old-stopping"] }, data: { state: "STOPPED", version: { increment: 1 } } });
    expect(await sweepLeases(db, at(2000), undefined, { batchSize: 2 })).toEqual({ reminded: 0, stopped: 0, expiredNotices: 0, deleted: 1 });
  });

  it("steps over a due machine it cannot change now, and handles the ones behind it", async () => {
    // Someone holds on to "contended": every update of it finds nothing to change (as when a
    // user's action bumped its version first), so its STOP answers CONFLICT every time.
    await db.$executeRawUnsafe(`
      create function skip_contended() returns trigger language plpgsql as $$
      begin
        if old.name like 'contended%' then return null; end if;
        return new;
      end $$`);
    await db.$executeRawUnsafe(`create trigger skip_contended before update on "Machine" for each row execute function skip_contended()`);
    const [c1, c2, free] = await machines([
      { state: "RUNNING", leaseEndsAt: at(-3 * DAY), name: "contended-1" },
      { state: "RUNNING", leaseEndsAt: at(-2 * DAY), name: "contended-2" },
      { state: "RUNNING", leaseEndsAt: at(-DAY), name: "free" },
    ]);
    const r = await sweepLeases(db, NOW, undefined, { batchSize: 1 });
    // Only what was committed is counted: the contended machines' notices rolled back with their STOP.
    expect(r).toEqual({ reminded: 0, stopped: 1, expiredNotices: 1, deleted: 0 });
    expect((await db.machine.findUniqueOrThrow({ where: { id: free } })).state).toBe("STOPPING");
    for (const id of [c1, c2]) {
      const m = await db.machine.findUniqueOrThrow({ where: { id } });
      expect([m.state, m.leaseNotifiedAt]).toEqual(["RUNNING", null]);
      expect(await notices("lease.expired", id)).toBe(0);
    }
    expect(await db.operation.count()).toBe(1);
  });
});

// The resize dialog's data and the server's refusal of a disk-tier change: offerings sorted by
// size with price and difference, the current one marked, the impossible ones said why; a
// resize to another tier is refused (nothing written) where the provider cannot move disks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeOffering, makeProject, makeUser } from "../../test/factories";
import { makeMachine } from "../../test/machine-factories";
import type { Ctx } from "../context";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { getMachine } from "./get-machine";
import { resizeMachine } from "./resize-machine";
import { tierChangeAllowed } from "./resize-impact";

let t: TestDatabase;
let db: Db;
let projectId: string;
let member: Ctx;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  projectId = (await makeProject(db)).id;
  const alice = await makeUser(db);
  await addMember(db, projectId, alice.id, "MEMBER");
  member = await ctxFor(db, alice.id);
});
afterAll(async () => {
  await t?.drop();
});

describe("resize options and tier changes", () => {
  it("lists offerings smallest first with price and difference, marks the current one, says why others cannot be chosen", async () => {
    // Created out of order on purpose.
    const big = await makeOffering(db, { vcpu: 8, memoryMb: 16384, diskGb: 100, monthlyPriceCents: 12000 });
    const current = await makeOffering(db, { vcpu: 2, memoryMb: 4096, diskGb: 50, monthlyPriceCents: 3000 });
    const hdd = await makeOffering(db, { vcpu: 4, memoryMb: 8192, diskGb: 200, diskTier: "HDD", monthlyPriceCents: 4000 });
    const sameCpuMoreMem = await makeOffering(db, { vcpu: 2, memoryMb: 8192, diskGb: 50, monthlyPriceCents: 4500 });
    const tiny = await makeOffering(db, { vcpu: 1, memoryMb: 1024, diskGb: 20, monthlyPriceCents: 1000 });
    await makeOffering(db, { vcpu: 3, active: false });
    const m = await makeMachine(db, { projectId, ownerId: member.actor.id, state: "RUNNING", offeringId: current.id });

    const d = await getMachine(member, { machineId: m.id });
    const mine = [big, current, hdd, sameCpuMoreMem, tiny].map((o) => o.id);
    const opts = d.resizeOptions.filter((o) => mine.includes(o.id));
    expect(opts.map((o) => o.id)).toEqual([tiny.id, current.id, sameCpuMoreMem.id, hdd.id, big.id]);
    // Sorted over every option, not only these (other tests' offerings share the database).
    const keys = d.resizeOptions.map((o) => [o.vcpu, o.memoryMb, o.diskGb]);
    expect([...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2])).toEqual(keys);
    const by = Object.fromEntries(opts.map((o) => [o.id, o]));
    expect(by[current.id]).toMatchObject({ current: true, unavailable: null, costDeltaCents: 0 });
    expect(by[tiny.id]).toMatchObject({ current: false, unavailable: "disk", costDeltaCents: -2000 });
    expect(by[hdd.id]).toMatchObject({ unavailable: "tier", costDeltaCents: 1000 });
    expect(by[sameCpuMoreMem.id]).toMatchObject({ unavailable: null, costDeltaCents: 1500 });
    expect(by[big.id]).toMatchObject({ unavailable: null, costDeltaCents: 9000, monthlyPriceCents: 12000 });
    expect(d.migratesDiskTier).toBe(false);
  });

  it("refuses a tier change on a provider that cannot move disks, and writes nothing", async () => {
    const ssd = await makeOffering(db, { diskGb: 50 });
    const hdd = await makeOffering(db, { diskGb: 100, diskTier: "HDD" });
    const m = await makeMachine(db, { projectId, ownerId: member.actor.id, state: "STOPPED", offeringId: ssd.id });
    const err = await resizeMachine(member, { machineId: m.id, offeringId: hdd.id }).then(
      () => null,
      (e: unknown) => e as AppError,
    );
    expect(err).toBeInstanceOf(AppError);
    expect(err!.code).toBe("VALIDATION");
    expect(err!.details?.fields?.offeringId?.[0]).toBe("fieldErrors.machines.tierChange?from=SSD&to=HDD");
    expect(await db.operation.count({ where: { machineId: m.id } })).toBe(0);
    expect(await db.machine.findUniqueOrThrow({ where: { id: m.id } })).toMatchObject({ state: "STOPPED", version: m.version });
    // The same tier goes through.
    const ssd2 = await makeOffering(db, { vcpu: 4, diskGb: 50 });
    await resizeMachine(member, { machineId: m.id, offeringId: ssd2.id });
    expect(await db.machine.findUniqueOrThrow({ where: { id: m.id } })).toMatchObject({ state: "RESIZING" });
  });

  it("allows a tier change only where the provider moves disks", () => {
    expect(tierChangeAllowed({ diskTier: "SSD" }, { diskTier: "SSD" }, false)).toBe(true);
    expect(tierChangeAllowed({ diskTier: "SSD" }, { diskTier: "HDD" }, false)).toBe(false);
    expect(tierChangeAllowed({ diskTier: "HDD" }, { diskTier: "SSD" }, true)).toBe(true);
  });
});

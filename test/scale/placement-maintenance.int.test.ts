// The candidate query reads the maintenance windows in force once (not one probe per host):
// it must still leave out a host with a window of its own (active, or starting within the
// lead time) and every host of a provider with a window, and keep hosts whose window is
// over, far off, or cancelled.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db";
import { candidateHosts } from "../../lib/orchestration/place-machine";
import { makeEstate } from "../orchestration/harness";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const need = { vcpu: 1, memoryMb: 1024, diskGb: 10, diskTier: "SSD" as const };
const hour = 3_600_000;

describe("placement and maintenance windows", () => {
  it("leaves out hosts and providers in, or about to enter, a window; keeps the others", async () => {
    const e = await makeEstate(t.db, { hosts: 6 });
    const other = await makeEstate(t.db, { hosts: 2 });
    await t.db.templateProviderRef.create({ data: { templateId: e.templateId, providerId: other.providerId, ref: "img" } });
    const [active, soon, over, far, cancelled, free] = e.hostIds;
    const now = Date.now();
    await t.db.maintenanceWindow.createMany({
      data: [
        { hostId: active, startsAt: new Date(now - hour), endsAt: new Date(now + hour), reason: "active", status: "ACTIVE" },
        { hostId: soon, startsAt: new Date(now + hour), endsAt: new Date(now + 2 * hour), reason: "soon" },
        { hostId: over, startsAt: new Date(now - 3 * hour), endsAt: new Date(now - hour), reason: "over" },
        { hostId: far, startsAt: new Date(now + 30 * 24 * hour), endsAt: new Date(now + 31 * 24 * hour), reason: "far" },
        { hostId: cancelled, startsAt: new Date(now - hour), endsAt: new Date(now + hour), reason: "cancelled", status: "CANCELLED" },
      ],
    });
    const ids = async () => (await candidateHosts(t.db, { templateId: e.templateId, need }, 50)).map((h) => h.id).sort();
    expect(await ids()).toEqual([over, far, cancelled, free, ...other.hostIds].sort());

    // A window on the other provider takes all of its hosts out.
    await t.db.maintenanceWindow.create({ data: { providerId: other.providerId, startsAt: new Date(now - hour), endsAt: new Date(now + hour), reason: "provider", status: "ACTIVE" } });
    expect(await ids()).toEqual([over, far, cancelled, free].sort());
  });
});

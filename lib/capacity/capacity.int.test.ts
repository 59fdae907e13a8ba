// Capacity views and host maintenance (administrators only).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeProject, makeUser } from "../../test/factories";
import { makeHost, makeMachine, makeProvider } from "../../test/machine-factories";
import type { Ctx } from "../context";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { listHosts } from "./list-hosts";
import { listProviders } from "./list-providers";
import { setHostMaintenance } from "./set-host-maintenance";

let t: TestDatabase;
let db: Db;
let admin: Ctx;
let approver: Ctx;
let user: Ctx;

async function expectError(p: Promise<unknown>, code: AppError["code"]) {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
}

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  admin = await ctxFor(db, (await makeUser(db, { role: "ADMIN" })).id);
  const p = await makeProject(db);
  const a = await makeUser(db);
  await addMember(db, p.id, a.id, "APPROVER");
  approver = await ctxFor(db, a.id);
  user = await ctxFor(db, (await makeUser(db)).id);
});

afterAll(async () => {
  await t?.drop();
});

describe("capacity", () => {
  it("shows hosts with capacity under the provider's overcommit ratios, and provider aggregates", async () => {
    const prov = await makeProvider(db, { cpuOvercommit: 4 });
    await makeHost(db, prov.id, { vcpuTotal: 32, vcpuUsed: 100, memoryMbTotal: 1000, memoryMbUsed: 500 });
    await makeHost(db, prov.id, { vcpuTotal: 16, vcpuUsed: 8, state: "MAINTENANCE" });
    await makeHost(db, prov.id, { vcpuTotal: 64, state: "DISABLED" });
    const hosts = await listHosts(admin, { providerId: prov.id, page: 1 });
    expect(hosts.total).toBe(3);
    const h32 = hosts.items.find((h) => h.usage.vcpu.total === 32)!;
    expect(h32.usage.vcpu).toEqual({ used: 100, total: 32, capacity: 128, ratio: 4 });
    expect(h32.usage.memoryMb).toEqual({ used: 500, total: 1000, capacity: 1000, ratio: 1 });
    expect((await listHosts(admin, { providerId: prov.id, state: "MAINTENANCE", page: 1 })).items.map((h) => h.usage.vcpu.total)).toEqual([16]);

    const providers = await listProviders(admin);
    const p = providers.find((x) => x.id === prov.id)!;
    expect(p).toMatchObject({ hostCount: 3, hostsInMaintenance: 1, kind: "SIMULATOR", status: "ACTIVE" });
    // Disabled hosts serve nothing: 32 + 16 physical vCPU, x4.
    expect(p.usage.vcpu).toMatchObject({ used: 108, total: 48, capacity: 192 });
  });

  it("searches host names, sorts by each column, and counts live machines of the page's hosts", async () => {
    const prov = await makeProvider(db);
    const [a, b, c] = [
      await makeHost(db, prov.id, { vcpuUsed: 4, memoryMbUsed: 900 }),
      await makeHost(db, prov.id, { vcpuUsed: 12, memoryMbUsed: 100, state: "MAINTENANCE" }),
      await makeHost(db, prov.id, { vcpuUsed: 8, memoryMbUsed: 500 }),
    ];
    const project = await makeProject(db);
    const owner = await makeUser(db);
    for (const [host, state] of [[a, "RUNNING"], [a, "STOPPED"], [a, "DELETED"], [c, "RUNNING"]] as const) {
      const m = await makeMachine(db, { projectId: project.id, ownerId: owner.id, state });
      await db.machine.update({ where: { id: m.id }, data: { providerId: prov.id, hostId: host.id } });
    }
    const names = async (input: Partial<Parameters<typeof listHosts>[1]>) => (await listHosts(admin, { providerId: prov.id, page: 1, ...input })).items.map((h) => h.name);
    expect(await names({ sort: "cpu", dir: "desc" })).toEqual([b.name, c.name, a.name]);
    expect(await names({ sort: "memory", dir: "asc" })).toEqual([b.name, c.name, a.name]);
    expect(await names({ sort: "name", dir: "asc" })).toEqual([a.name, b.name, c.name].sort());
    expect(await names({ sort: "state", dir: "desc" })).toEqual([b.name, ...[a.name, c.name].sort()]);
    // Case-insensitive "contains" on the name.
    expect(await names({ q: b.name.slice(-6).toUpperCase() })).toEqual([b.name]);
    expect(await names({ q: "no-such-host" })).toEqual([]);
    const counts = Object.fromEntries((await listHosts(admin, { providerId: prov.id, page: 1 })).items.map((h) => [h.name, h.machineCount]));
    expect(counts).toEqual({ [a.name]: 2, [b.name]: 0, [c.name]: 1 });
  });

  it("searches providers (name, endpoint), filters by kind and status, sorts by each key with ties by name", async () => {
    const tag = `plist${Date.now().toString(36)}`;
    const a = await makeProvider(db, { name: `${tag}-alpha`, kind: "LIBVIRT" });
    const b = await makeProvider(db, { name: `${tag}-bravo`, kind: "LXD" });
    const c = await makeProvider(db, { name: `${tag}-charlie`, kind: "LIBVIRT" });
    const d = await makeProvider(db, { name: `${tag}-delta`, kind: "LIBVIRT" });
    await db.provider.update({ where: { id: b.id }, data: { status: "UNAVAILABLE", endpoint: `lxd://${tag}-endpoint.example` } });
    await db.provider.update({ where: { id: d.id }, data: { status: "DISABLED" } });
    // Machines: c has 2 live (and a deleted one), a has 1, b and d none (equal keys: by name).
    const project = await makeProject(db);
    const owner = await makeUser(db);
    for (const [prov, state] of [[c, "RUNNING"], [c, "STOPPED"], [c, "DELETED"], [a, "RUNNING"]] as const) {
      const m = await makeMachine(db, { projectId: project.id, ownerId: owner.id, state });
      await db.machine.update({ where: { id: m.id }, data: { providerId: prov.id } });
    }
    await makeHost(db, a.id, { vcpuTotal: 10, vcpuUsed: 30 }); // 30 of 40
    await makeHost(db, d.id, { vcpuTotal: 10, vcpuUsed: 4 }); // 4 of 40
    const names = async (input: Parameters<typeof listProviders>[1]) =>
      (await listProviders(admin, { q: tag, ...input })).map((p) => p.name.slice(tag.length + 1));

    expect(await names({})).toEqual(["alpha", "bravo", "charlie", "delta"]);
    expect(await names({ q: `${tag}-CHAR` })).toEqual(["charlie"]);
    // The endpoint is searched too (any case).
    expect(await names({ q: `LXD://${tag}-endpoint` })).toEqual(["bravo"]);
    expect(await names({ kind: "LIBVIRT" })).toEqual(["alpha", "charlie", "delta"]);
    expect(await names({ kind: "LIBVIRT", status: "DISABLED" })).toEqual(["delta"]);
    expect(await names({ status: "UNAVAILABLE" })).toEqual(["bravo"]);
    expect(await names({ kind: "DOCKER" })).toEqual([]);
    expect(await names({ sort: "machines" })).toEqual(["charlie", "alpha", "bravo", "delta"]);
    expect(await names({ sort: "machines", dir: "asc" })).toEqual(["bravo", "delta", "alpha", "charlie"]);
    expect(await names({ sort: "name", dir: "desc" })).toEqual(["delta", "charlie", "bravo", "alpha"]);
    expect(await names({ sort: "kind" })).toEqual(["alpha", "charlie", "delta", "bravo"]);
    expect(await names({ sort: "status" })).toEqual(["alpha", "charlie", "bravo", "delta"]);
    expect(await names({ sort: "hosts" })).toEqual(["alpha", "delta", "bravo", "charlie"]);
    // CPU in use over capacity: a 75 %, d 10 %, the hostless ones last.
    expect(await names({ sort: "cpu" })).toEqual(["alpha", "delta", "bravo", "charlie"]);
    await expectError(listProviders(approver, { q: tag }), "FORBIDDEN");
  });

  it("is for administrators only", async () => {
    await expectError(listHosts(approver, { page: 1 }), "FORBIDDEN");
    await expectError(listProviders(user), "FORBIDDEN");
  });

  it("puts a host into and out of maintenance, audited; others are refused", async () => {
    const prov = await makeProvider(db);
    const host = await makeHost(db, prov.id);
    await expectError(setHostMaintenance(approver, { hostId: host.id, maintenance: true }), "FORBIDDEN");
    await expectError(setHostMaintenance(user, { hostId: host.id, maintenance: true }), "FORBIDDEN");
    expect((await db.host.findUniqueOrThrow({ where: { id: host.id } })).state).toBe("ACTIVE");

    expect(await setHostMaintenance(admin, { hostId: host.id, maintenance: true })).toMatchObject({ state: "MAINTENANCE", drainId: expect.any(String) });
    expect((await db.host.findUniqueOrThrow({ where: { id: host.id } })).state).toBe("MAINTENANCE");
    expect(await setHostMaintenance(admin, { hostId: host.id, maintenance: false })).toEqual({ state: "ACTIVE", drainId: null });
    const audit = await db.auditEvent.findMany({ where: { targetId: host.id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, (a.after as { state: string }).state])).toEqual([
      ["host.maintenance", "MAINTENANCE"],
      ["host.maintenance", "ACTIVE"],
    ]);

    const disabled = await makeHost(db, prov.id, { state: "DISABLED" });
    await expectError(setHostMaintenance(admin, { hostId: disabled.id, maintenance: true }), "CONFLICT");
    await expectError(setHostMaintenance(admin, { hostId: "00000000-0000-4000-8000-000000000000", maintenance: true }), "NOT_FOUND");
  });
});

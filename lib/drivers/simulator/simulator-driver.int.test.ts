import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db";
import { DRIVERS, driverFor } from "../registry";
import { DriverError, type MachineSpec } from "../types";
import { withTimeout } from "../with-timeout";
import { simLatencyMs, SimulatorDriver } from "./simulator-driver";

let t: TestDatabase;
let providerId: string;
let sim: SimulatorDriver;

const spec = (machineId: string): MachineSpec => ({ machineId, installationId: "00000000-0000-4000-8000-00000000000a", name: `vm-${machineId.slice(0, 4)}`, vcpu: 2, memoryMb: 2048, diskGb: 20, diskTier: "SSD", templateRef: "img", hostRef: "h1" });
const uuid = () => crypto.randomUUID();

beforeAll(async () => {
  t = await createTestDatabase();
  const p = await t.db.provider.create({ data: { name: `sim-${uuid().slice(0, 6)}`, kind: "SIMULATOR", config: { latencyMs: 0 } } });
  providerId = p.id;
  await t.db.host.create({ data: { providerId, name: "h1", externalRef: "h1", vcpuTotal: 8, memoryMbTotal: 8192, diskSsdGbTotal: 100, state: "MAINTENANCE" } });
  sim = (await driverFor(p, { db: t.db })) as SimulatorDriver;
});

afterAll(async () => {
  await t?.drop();
});

describe("simulator driver", () => {
  it("creates once per idempotency key, even when called concurrently, and keeps its machines in the database", async () => {
    const id = uuid();
    const [a, b] = await Promise.all([sim.provision(spec(id), id), sim.provision(spec(id), id)]);
    expect(a.ref).toBe(b.ref);
    expect(a.state).toBe("RUNNING");
    const again = await sim.provision(spec(id), id);
    expect(again.ref).toBe(a.ref);
    const row = await t.db.simMachine.findFirstOrThrow({ where: { idempotencyKey: id } });
    expect(row.creations).toBe(1);
    // A new driver instance (a restarted worker) sees the same machine.
    const other = new SimulatorDriver({ providerId, endpoint: "", credentials: {}, config: {} }, t.db);
    expect((await other.getMachine(a.ref)).machineId).toBe(id);
    expect((await other.listMachines()).map((m) => m.ref)).toContain(a.ref);
  });

  it("powers machines, snapshots them, resizes them (never shrinking a disk) and destroys idempotently", async () => {
    const id = uuid();
    const m = await sim.provision(spec(id), id);
    await sim.stop(m.ref);
    expect((await sim.getMachine(m.ref)).state).toBe("STOPPED");
    await expect(sim.reboot(m.ref)).rejects.toMatchObject({ code: "PROVIDER", retryable: false });
    await sim.start(m.ref);
    const s1 = await sim.snapshot(m.ref, "one");
    expect((await sim.snapshot(m.ref, "one")).ref).toBe(s1.ref);
    await sim.revertSnapshot(m.ref, s1.ref);
    await sim.deleteSnapshot(m.ref, s1.ref);
    await expect(sim.revertSnapshot(m.ref, s1.ref)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await sim.resize(m.ref, { vcpu: 4, memoryMb: 4096, diskGb: 40 });
    await expect(sim.resize(m.ref, { vcpu: 4, memoryMb: 4096, diskGb: 10 })).rejects.toMatchObject({ code: "UNSUPPORTED" });
    await sim.migrate(m.ref, "h2");
    expect(await sim.getMachine(m.ref)).toMatchObject({ vcpu: 4, memoryMb: 4096, diskGb: 40, hostRef: "h2" });
    await sim.destroy(m.ref);
    await sim.destroy(m.ref);
    await expect(sim.getMachine(m.ref)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("reports its provider's hosts as capacity", async () => {
    expect(await sim.getCapacity()).toEqual([{ ref: "h1", name: "h1", vcpu: 8, memoryMb: 8192, diskGb: { SSD: 100, HDD: 0 }, maintenance: true, healthy: true }]);
  });

  it("injects transient, permanent and hanging faults with a remaining count", async () => {
    await t.db.simFault.create({ data: { providerId, operation: "start", mode: "TRANSIENT", remaining: 2, message: "busy" } });
    const id = uuid();
    const m = await sim.provision(spec(id), id);
    for (let i = 0; i < 2; i++) await expect(sim.start(m.ref)).rejects.toMatchObject({ code: "UNAVAILABLE", retryable: true, message: "busy" });
    await sim.start(m.ref);

    await t.db.simFault.create({ data: { providerId, operation: "stop", mode: "PERMANENT", remaining: null, message: "broken" } });
    for (let i = 0; i < 3; i++) await expect(sim.stop(m.ref)).rejects.toMatchObject({ code: "PROVIDER", retryable: false });
    await t.db.simFault.deleteMany({ where: { providerId, operation: "stop" } });

    await t.db.simFault.create({ data: { providerId, operation: "reboot", mode: "HANG", remaining: 1 } });
    const t0 = Date.now();
    const err = await withTimeout(300, (signal) => sim.reboot(m.ref, { signal })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DriverError);
    expect(err).toMatchObject({ code: "TIMEOUT", retryable: true });
    expect(Date.now() - t0).toBeLessThan(3000);
    await sim.reboot(m.ref);
  });

  it("takes its latency from the provider config, per operation, unless ORQ_SIM_LATENCY_MS overrides it", () => {
    expect(simLatencyMs({ latencyMs: 250 }, "start", undefined)).toBe(250);
    expect(simLatencyMs({ latencyMs: { provision: 900, default: 100 } }, "provision", undefined)).toBe(900);
    expect(simLatencyMs({ latencyMs: { provision: 900, default: 100 } }, "stop", undefined)).toBe(100);
    expect(simLatencyMs({ latencyMs: 250 }, "start", "0")).toBe(0);
    expect(simLatencyMs({}, "start", undefined)).toBe(0);
  });

  it("refuses providers without a driver as UNSUPPORTED", async () => {
    // Every kind has a driver now: a registry where Kubernetes has none stands for a future kind.
    const registry = { ...DRIVERS, KUBERNETES: { ...DRIVERS.KUBERNETES, create: null } };
    await expect(driverFor({ id: uuid(), kind: "KUBERNETES", endpoint: "", credentialsEnc: null, config: {} }, { db: t.db }, registry)).rejects.toMatchObject({
      code: "UNSUPPORTED",
      retryable: false,
    });
  });
});

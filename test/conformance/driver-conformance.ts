// The ONE driver conformance suite: the same assertions for every hypervisor driver, run
// against its real backend (scripts/backends/up.sh). Each driver's *.conformance.test.ts
// supplies a factory. Capabilities a driver lacks are reported as skipped with the reason;
// without a backend the file skips with a one-line reason, and with CI set that is a failure.
// Beyond the lifecycle: ownership tags (machine id and installation id) on every resource,
// finding and destroying a machine whose provider ref was lost ("lose the DB write", what the
// engine's reconcile pass does), snapshots idempotent by name, and a closed driver leaving no
// socket, process or timer behind.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DriverError, type Driver, type DriverErrorCode, type DriverMachine, type DriverMachineState, type MachineSpec, type ResizeTarget } from "@/lib/drivers/types";
import { startGarbageHttpServer, startGarbageSocketServer, startSilentServer, type FakeServer } from "./fake-servers";
import { trackHandles, type HandleTracker } from "./open-handles";
import { countersOf, sampleFrom } from "@/lib/monitoring/delta";
import { waitFor } from "../wait";

export type FakeKind = "http-tcp" | "http-unix" | "raw-unix";

export interface ConformanceTarget {
  /** Short name shown in the test titles and the timings line, e.g. "docker". */
  name: string;
  /** Either the factory inputs, or why the backend cannot be tested here. */
  setup: () => Promise<{ reason: string } | { ok: true }>;
  driver: () => Driver;
  /** The machine to provision (templateRef must exist on the backend); the suite adds the installation id. */
  spec: (machineId: string) => Omit<MachineSpec, "installationId">;
  /** Extra checks on the freshly provisioned machine (e.g. that a real VM booted). */
  afterProvision?: (machine: DriverMachine) => Promise<void>;
  /** A size to resize to, when the driver declares "resize" (with its sizeRef on kinds that sell shapes). */
  resizeTo?: ResizeTarget;
  /** A driver with wrong credentials, or the reason the backend has none. */
  wrongCredentials: () => Driver | { reason: string };
  /** A driver whose endpoint has nothing listening. */
  unreachable: () => Promise<Driver> | Driver;
  /** How to serve garbage to this driver, and a driver pointed at that fake server. */
  malformed: { kind: FakeKind; driver: (address: string) => Driver } | { reason: string };
  /** A driver pointed at a server that never answers (kind of fake server). */
  hung: { kind: "tcp" | "unix"; driver: (address: string) => Driver } | { reason: string };
  /** The deadline given to calls in the failure cases; they must fail within it (+ slack). */
  failureTimeoutMs?: number;
  /** Per-call timeout for lifecycle calls. */
  callTimeoutMs?: number;
  /**
   * How long after close() what the driver kind keeps for reuse may stay open (vSphere's pooled
   * session is logged out once idle): the handle check waits this long. Default 1 s.
   */
  releaseWithinMs?: number;
  /**
   * Puts CPU load on the machine for a while (capability "metrics"): the suite then reads the
   * metrics twice and expects CPU utilisation above zero. Absent: only the reading's shape is checked.
   */
  busy?: (ref: string) => Promise<void>;
  /**
   * Why the shared metrics check does not apply to this backend, and where its metrics are tested
   * instead (moto's CloudWatch generates no EC2 figures: a fresh machine has no sample).
   */
  metricsElsewhere?: string;
  teardown?: () => Promise<void>;
}

/** Runs `fn` with a fake server, closing it whatever happens. */
async function withFake<T>(start: () => Promise<FakeServer>, fn: (fake: FakeServer) => Promise<T>): Promise<T> {
  const fake = await start();
  try {
    return await fn(fake);
  } finally {
    await fake.close();
  }
}

/** Runs `fn` with a driver, closing it whatever happens (as every caller of a driver must). */
async function using<T>(make: () => Driver | Promise<Driver>, fn: (d: Driver) => Promise<T>): Promise<T> {
  const d = await make();
  try {
    return await fn(d);
  } finally {
    await d.close();
  }
}

async function expectDriverError(promise: Promise<unknown>, code: DriverErrorCode): Promise<DriverError> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected a DriverError ${code}, got success`).toBeDefined();
  expect(caught, `expected a DriverError, got ${String(caught)}`).toBeInstanceOf(DriverError);
  const e = caught as DriverError;
  expect(e.code, `expected ${code}, got ${e.code}: ${e.message}`).toBe(code);
  expect(typeof e.retryable).toBe("boolean");
  return e;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

async function waitForState(driver: Driver, ref: string, want: DriverMachineState, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last: DriverMachineState | undefined;
  while (Date.now() < until) {
    last = (await driver.getMachine(ref)).state;
    if (last === want) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`machine ${ref} did not reach ${want} (last ${last})`);
}

export function describeConformance(target: ConformanceTarget): void {
  const ci = Boolean(process.env.CI);
  const callTimeoutMs = target.callTimeoutMs ?? 60_000;
  const failureTimeoutMs = target.failureTimeoutMs ?? 3_000;
  const opts = () => ({ signal: AbortSignal.timeout(callTimeoutMs) });

  describe(`${target.name} driver conformance`, () => {
    let skipReason: string | undefined;
    let driver: Driver;
    let closed = false;
    let handles: HandleTracker | undefined;
    let ref: string | undefined;
    const machineId = randomUUID();
    /** A second machine, provisioned and then "lost" (its ref never recorded). */
    const lostMachineId = randomUUID();
    // This test run stands for one installation of Orquestra.
    const installationId = randomUUID();
    const idempotencyKey = `conformance-${machineId}`;
    const timings: Record<string, number> = {};
    const spec = (id: string): MachineSpec => ({ ...target.spec(id), installationId });

    beforeAll(async () => {
      const r = await target.setup();
      if ("reason" in r) {
        skipReason = r.reason;
        return;
      }
      // From here on, every socket, process and timer is accounted for (see the last test).
      handles = trackHandles();
      driver = target.driver();
    }, 120_000);

    afterAll(async () => {
      if (driver && !closed) {
        // A failed test may have left machines behind: remove them by their tags.
        for (const id of [machineId, lostMachineId]) {
          const m = await driver.findByMachineId(id).catch(() => null);
          if (m) await driver.destroy(m.ref).catch(() => {});
        }
        if (ref) await driver.destroy(ref).catch(() => {});
        await driver.close();
      }
      handles?.stop();
      await target.teardown?.();
      if (Object.keys(timings).length) {
        const line = Object.entries(timings)
          .map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`)
          .join(", ");
        console.log(`[conformance timings] ${target.name}: ${line}`);
      }
    }, 120_000);

    /** Each test: skip with the reason when the backend is absent, fail in CI. */
    const live = (name: string, fn: (ctx: { skip: (note?: string) => void }) => Promise<void>, timeout = 180_000) =>
      it(name, async (ctx) => {
        if (skipReason) {
          if (ci) throw new Error(`CI requires the ${target.name} backend: ${skipReason}`);
          ctx.skip(skipReason);
        }
        await fn(ctx);
      }, timeout);

    const needsRef = () => {
      if (!ref) throw new Error("no machine: the provision test failed");
      return ref;
    };

    live("connects (testConnection)", async () => {
      const v = await driver.testConnection(opts());
      expect(v).toBeTypeOf("object");
    });

    live("provisions a machine carrying both ownership tags, and a retry with the same key returns the same one", async () => {
      const first = await timed(() => driver.provision(spec(machineId), idempotencyKey, opts()));
      timings.provision = first.ms;
      ref = first.value.ref;
      expect(first.value.machineId).toBe(machineId);
      expect(first.value.installationId).toBe(installationId);
      expect(first.value.state).toBe("RUNNING");
      const again = await driver.provision(spec(machineId), idempotencyKey, opts());
      expect(again.ref).toBe(ref);
      const mine = (await driver.listMachines(opts())).filter((m) => m.machineId === machineId);
      expect(mine.map((m) => m.ref)).toEqual([ref]);
      await target.afterProvision?.(first.value);
    });

    live("gets the machine with Orquestra's machine id and installation id", async () => {
      const m = await driver.getMachine(needsRef(), opts());
      expect(m.ref).toBe(ref);
      expect(m.machineId).toBe(machineId);
      expect(m.installationId).toBe(installationId);
      expect(m.state).toBe("RUNNING");
    });

    live("finds the machine by its machine id (ownership tag)", async () => {
      const found = await driver.findByMachineId(machineId, opts());
      expect(found, "findByMachineId found nothing").not.toBeNull();
      expect(found).toMatchObject({ ref: needsRef(), machineId, installationId });
      expect(await driver.findByMachineId(randomUUID(), opts())).toBeNull();
    });

    live("stops the machine", async () => {
      const r = needsRef();
      timings.stop = (await timed(() => driver.stop(r, opts()))).ms;
      await waitForState(driver, r, "STOPPED");
      // Stopping a stopped machine is not an error.
      await driver.stop(r, opts());
    });

    live("starts the machine", async () => {
      const r = needsRef();
      timings.start = (await timed(() => driver.start(r, opts()))).ms;
      await waitForState(driver, r, "RUNNING");
      await driver.start(r, opts());
    });

    live("reboots the machine", async () => {
      const r = needsRef();
      timings.reboot = (await timed(() => driver.reboot(r, opts()))).ms;
      await waitForState(driver, r, "RUNNING");
    });

    live("reads the machine's metrics; a busy machine shows CPU above zero (capability: metrics)", async (ctx) => {
      if (!driver.capabilities.has("metrics") || !driver.metrics) return ctx.skip(`${target.name} driver does not declare the metrics capability`);
      if (target.metricsElsewhere) return ctx.skip(target.metricsElsewhere);
      const r = needsRef();
      await waitForState(driver, r, "RUNNING");
      if (target.busy) await target.busy(r);
      let maybe: Awaited<ReturnType<NonNullable<Driver["metrics"]>>>;
      try {
        maybe = await driver.metrics(r, opts());
      } catch (err) {
        // The driver reads metrics but this endpoint has none (libvirt's test driver): skipped, not passed.
        if (err instanceof DriverError && err.code === "UNSUPPORTED") return ctx.skip(`endpoint reports no metrics: ${err.message}`);
        throw err;
      }
      expect(maybe, "a running machine's reading (null: no sample)").not.toBeNull();
      const first = maybe!;
      if (first.rates) {
        for (const [k, v] of Object.entries(first.rates)) {
          expect(Number.isFinite(v), k).toBe(true);
          expect(v, k).toBeGreaterThanOrEqual(0);
        }
        expect(first.rates.seconds).toBeGreaterThan(0);
      }
      for (const k of ["memoryUsedBytes", "diskReadBytes", "diskWriteBytes", "netInBytes", "netOutBytes"] as const) {
        expect(first[k], k).toBeGreaterThanOrEqual(0);
        expect(Number.isFinite(first[k]), k).toBe(true);
      }
      expect(first.cpuTimeNs !== undefined || first.cpuPercent !== undefined, "a reading carries CPU time or utilisation").toBe(true);
      // The second reading, once the provider's clock has moved on, makes a sample.
      let sample: ReturnType<typeof sampleFrom> | null = null;
      await waitFor("a second metrics reading", async () => {
        const second = await driver.metrics!(r, opts());
        if (!second) return false;
        if (second.at.getTime() <= first.at.getTime()) return false;
        sample = sampleFrom(countersOf(first), second, spec(machineId).vcpu);
        const cpu = sample.cpuPercent;
        return cpu !== null && (!target.busy || cpu > 0);
      }, { timeoutMs: 30_000, everyMs: 500 });
      const cpu = (sample as ReturnType<typeof sampleFrom> | null)?.cpuPercent ?? null;
      expect(cpu).not.toBeNull();
      if (target.busy) expect(cpu!).toBeGreaterThan(0);
      expect(cpu!).toBeLessThanOrEqual(100);
    });

    live("resizes the machine (capability: resize)", async (ctx) => {
      if (!target.resizeTo || !driver.capabilities.has("resize") || !driver.resize) return ctx.skip(`${target.name} driver does not declare the resize capability`);
      const r = needsRef();
      const size = target.resizeTo;
      try {
        await driver.resize(r, size, opts());
      } catch (err) {
        // The driver supports it but this endpoint does not: reported as skipped, not passed.
        if (err instanceof DriverError && err.code === "UNSUPPORTED") return ctx.skip(`endpoint refused resize: ${err.message}`);
        throw err;
      }
      const m = await driver.getMachine(r, opts());
      if (m.vcpu !== undefined) expect(m.vcpu).toBe(size.vcpu);
      if (m.memoryMb !== undefined) expect(m.memoryMb).toBe(size.memoryMb);
    });

    live("snapshots idempotently by name, reverts to and deletes the snapshot (capability: snapshots)", async (ctx) => {
      if (!driver.capabilities.has("snapshots") || !driver.snapshot || !driver.revertSnapshot || !driver.deleteSnapshot || !driver.listSnapshots) {
        return ctx.skip(`${target.name} driver does not declare the snapshots capability`);
      }
      const r = needsRef();
      const name = "conformance-1";
      const key = `snapshot-${machineId}`;
      const snap = await timed(() => driver.snapshot!(r, name, { ...opts(), idempotencyKey: key }));
      timings.snapshot = snap.ms;
      expect(snap.value.ref).toBeTruthy();
      expect(snap.value.name).toBe(name);
      // A re-run of the same operation (same name, same key) finds the first snapshot.
      const again = await driver.snapshot(r, name, { ...opts(), idempotencyKey: key });
      expect(again.ref).toBe(snap.value.ref);
      const taken = await driver.listSnapshots(r, opts());
      expect(taken.filter((s) => s.ref === snap.value.ref), "the snapshot is listed").toHaveLength(1);
      expect(taken, "exactly one snapshot after two calls").toHaveLength(1);
      await driver.revertSnapshot(r, snap.value.ref, opts());
      await driver.deleteSnapshot(r, snap.value.ref, opts());
      expect(await driver.listSnapshots(r, opts())).toEqual([]);
      // Deleting it again is not an error.
      await driver.deleteSnapshot(r, snap.value.ref, opts());
    });

    live("lists machines, ours included with both tags", async () => {
      const all = await driver.listMachines(opts());
      const m = all.find((x) => x.ref === ref);
      expect(m, "provisioned machine missing from listMachines").toBeDefined();
      expect(m!.machineId).toBe(machineId);
      expect(m!.installationId).toBe(installationId);
    });

    live("reports host capacity", async () => {
      const hosts = await driver.getCapacity(opts());
      expect(hosts.length).toBeGreaterThan(0);
      for (const h of hosts) {
        expect(h.ref).toBeTruthy();
        expect(h.vcpu).toBeGreaterThan(0);
        expect(h.memoryMb).toBeGreaterThan(0);
      }
    });

    live("a machine whose ref was lost is found by its tag and destroyed by it: nothing is left", async () => {
      // Created through the driver, then the database write that would record its ref is
      // "lost": only the machine id is known, as after a worker crash mid-provision.
      await driver.provision(spec(lostMachineId), `conformance-${lostMachineId}`, opts());
      const found = await driver.findByMachineId(lostMachineId, opts());
      expect(found, "the lost machine is found by its machine id").not.toBeNull();
      expect(found).toMatchObject({ machineId: lostMachineId, installationId });
      timings.findByMachineId = (await timed(() => driver.findByMachineId(lostMachineId, opts()))).ms;
      await driver.destroy(found!.ref, opts());
      expect(await driver.findByMachineId(lostMachineId, opts())).toBeNull();
      const left = (await driver.listMachines(opts())).filter((m) => m.machineId === lostMachineId || m.ref === found!.ref);
      expect(left, "the lost machine is gone from the provider").toEqual([]);
    });

    live("destroys the machine, and destroying it again succeeds", async () => {
      const r = needsRef();
      timings.destroy = (await timed(() => driver.destroy(r, opts()))).ms;
      ref = undefined;
      await expectDriverError(driver.getMachine(r, opts()), "NOT_FOUND");
      await driver.destroy(r, opts());
      expect((await driver.listMachines(opts())).some((m) => m.machineId === machineId)).toBe(false);
      expect(await driver.findByMachineId(machineId, opts())).toBeNull();
    });

    live("answers NOT_FOUND for a machine that never existed", async () => {
      await expectDriverError(driver.getMachine(`orquestra-missing-${randomUUID().slice(0, 8)}`, opts()), "NOT_FOUND");
    });

    live("wrong credentials -> AUTH", async (ctx) => {
      const d = target.wrongCredentials();
      if ("reason" in d) return ctx.skip(d.reason);
      await using(
        () => d,
        async (d) => {
          const e = await expectDriverError(d.testConnection({ signal: AbortSignal.timeout(10_000) }), "AUTH");
          expect(e.retryable).toBe(false);
        },
      );
    });

    live("endpoint down -> UNAVAILABLE within the timeout", async () => {
      await using(target.unreachable, async (d) => {
        const t0 = performance.now();
        const e = await expectDriverError(d.testConnection({ signal: AbortSignal.timeout(failureTimeoutMs) }), "UNAVAILABLE");
        expect(performance.now() - t0).toBeLessThan(failureTimeoutMs + 1_000);
        expect(e.retryable).toBe(true);
      });
    });

    live("malformed answers -> PROVIDER", async (ctx) => {
      const m = target.malformed;
      if ("reason" in m) return ctx.skip(m.reason);
      const start = () => (m.kind === "raw-unix" ? startGarbageSocketServer("unix") : startGarbageHttpServer(m.kind === "http-unix" ? "unix" : "tcp"));
      await withFake(start, (fake) =>
        using(
          () => m.driver(fake.address),
          async (d) => {
            await expectDriverError(d.testConnection({ signal: AbortSignal.timeout(failureTimeoutMs * 3) }), "PROVIDER");
            await expectDriverError(d.listMachines({ signal: AbortSignal.timeout(failureTimeoutMs * 3) }), "PROVIDER");
          },
        ),
      );
    });

    live("a hung endpoint -> TIMEOUT within the deadline", async (ctx) => {
      const h = target.hung;
      if ("reason" in h) return ctx.skip(h.reason);
      await withFake(
        () => startSilentServer(h.kind),
        (fake) =>
          using(
            () => h.driver(fake.address),
            async (d) => {
              const t0 = performance.now();
              const e = await expectDriverError(d.testConnection({ signal: AbortSignal.timeout(failureTimeoutMs) }), "TIMEOUT");
              expect(performance.now() - t0).toBeLessThan(failureTimeoutMs + 1_500);
              expect(e.retryable).toBe(true);
            },
          ),
      );
    });

    live("closes, leaving no socket, process or timer it opened", async () => {
      closed = true;
      await driver.close();
      const left = await handles!.settle(target.releaseWithinMs ?? 1_000);
      expect(left.map((h) => `${h.type} opened at\n${h.stack}`), "handles still open after close()").toEqual([]);
    });
  });
}

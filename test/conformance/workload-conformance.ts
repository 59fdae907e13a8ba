// The workload half of the conformance suite (issue 13): the same assertions for every driver
// that runs container workloads (Driver.workloads), against its real backend. Deploy N
// replicas, apply again (idempotent: the same containers), scale up and down, roll out a new
// image (rolling replace: every replica on the new image, none of the old left), restart,
// logs, remove by ownership label, a missing image failing for good; timings printed.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DriverError, type Driver } from "@/lib/drivers/types";
import { workloadResourceName, type WorkloadSpec } from "@/lib/drivers/workload-types";

export interface WorkloadConformanceTarget {
  name: string;
  setup: () => Promise<{ reason: string } | { ok: true }>;
  driver: () => Driver;
  /** An image on the backend, and a second tag of it for the rollout. */
  images: () => Promise<{ first: string; second: string }>;
  /** A long-running command that prints a line now and then and exits on SIGTERM. */
  command: string[];
  /** What the storage driver must be reported as (Docker/Podman: overlay). */
  storageDriver?: RegExp;
  teardown?: () => Promise<void>;
}

export function describeWorkloadConformance(target: WorkloadConformanceTarget): void {
  const ci = Boolean(process.env.CI);
  describe(`${target.name} workload conformance`, () => {
    let skipReason: string | undefined;
    let driver: Driver;
    let images: { first: string; second: string };
    const workloadId = randomUUID();
    const installationId = randomUUID();
    const timings: Record<string, number> = {};
    let spec: WorkloadSpec;
    const opts = () => ({ signal: AbortSignal.timeout(120_000) });
    const timed = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      try {
        return await fn();
      } finally {
        timings[what] = Math.round(performance.now() - t0);
      }
    };

    beforeAll(async () => {
      const r = await target.setup();
      if ("reason" in r) {
        skipReason = r.reason;
        return;
      }
      driver = target.driver();
      images = await target.images();
      spec = {
        workloadId,
        installationId,
        projectId: randomUUID(),
        name: workloadResourceName("conformance", workloadId),
        image: images.first,
        command: target.command,
        replicas: 3,
        vcpu: 1,
        memoryMb: 64,
        ports: [{ containerPort: 8080, protocol: "TCP" }],
        env: { GREETING: "hello", API_TOKEN: "sealed-in-db" },
        secretKeys: ["API_TOKEN"],
        healthCheck: null,
        updateStrategy: "ROLLING",
        autoscaling: null,
      };
    }, 120_000);

    afterAll(async () => {
      if (driver) {
        await driver.workloads?.remove(spec, opts()).catch(() => {});
        await driver.close();
      }
      await target.teardown?.();
      if (!skipReason) console.log(`[${target.name} workload conformance] timings (ms): ${JSON.stringify(timings)}`);
    }, 120_000);

    const step = (title: string, fn: () => Promise<void>) =>
      it(title, { timeout: 180_000 }, async (ctx) => {
        if (skipReason) {
          if (ci) throw new Error(`backend required in CI: ${skipReason}`);
          ctx.skip();
        }
        await fn();
      });

    step("deploys N replicas carrying the ownership labels, and reports the storage driver", async () => {
      const engine = driver.workloads!;
      expect(engine).toBeTruthy();
      const s = await timed("deploy3", () => engine.apply(spec, opts()));
      expect(s.running).toBe(3);
      expect(s.replicas.every((r) => r.image === images.first && r.state === "RUNNING")).toBe(true);
      expect(await engine.listOwned(installationId, opts())).toContain(workloadId);
      expect(await engine.listOwned(randomUUID(), opts())).not.toContain(workloadId);
      if (target.storageDriver) {
        expect(s.storage?.driver).toMatch(target.storageDriver);
        expect(s.storage?.sharedLayers).toBeGreaterThanOrEqual(1);
      }
    });

    step("apply is idempotent: the same replicas, nothing duplicated", async () => {
      const before = (await driver.workloads!.status(spec, opts()))!.replicas.map((r) => r.ref).sort();
      const s = await timed("reapply", () => driver.workloads!.apply(spec, opts()));
      expect(s.replicas.map((r) => r.ref).sort()).toEqual(before);
    });

    step("scales up and down", async () => {
      const up = await timed("scale3to5", () => driver.workloads!.apply({ ...spec, replicas: 5 }, opts()));
      expect(up.running).toBe(5);
      const down = await timed("scale5to1", () => driver.workloads!.apply({ ...spec, replicas: 1 }, opts()));
      expect(down.running).toBe(1);
      expect(down.replicas).toHaveLength(1);
      spec = { ...spec, replicas: 2 };
      expect((await driver.workloads!.apply(spec, opts())).running).toBe(2);
    });

    step("rolls out a new image replica by replica, leaving none of the old", async () => {
      const s = await timed("rollout2", () => driver.workloads!.apply({ ...spec, image: images.second }, opts()));
      spec = { ...spec, image: images.second };
      expect(s.running).toBe(2);
      expect(s.replicas.map((r) => r.image)).toEqual([images.second, images.second]);
      expect(s.updated).toBe(2);
    });

    step("restarts every replica and keeps them running", async () => {
      const s = await timed("restart2", () => driver.workloads!.restart(spec, randomUUID(), opts()));
      expect(s.running).toBe(2);
    });

    step("reads the replicas' logs", async () => {
      const lines = await driver.workloads!.logs(spec, 20, opts());
      expect(lines.length).toBeGreaterThan(0);
      expect(new Set(lines.map((l) => l.replica)).size).toBe(2);
      expect(lines.some((l) => l.line.includes("hello"))).toBe(true);
    });

    step("a missing image fails for good (not retried)", async () => {
      const bad = { ...spec, workloadId: randomUUID(), image: "localhost/orquestra-no-such-image:404", replicas: 1 };
      const err = await driver.workloads!.apply(bad, opts()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DriverError);
      expect((err as DriverError).retryable).toBe(false);
      await driver.workloads!.remove(bad, opts());
    });

    step("removes everything labelled with the workload; removing again succeeds", async () => {
      await timed("remove", () => driver.workloads!.remove(spec, opts()));
      expect(await driver.workloads!.status(spec, opts())).toBeNull();
      await driver.workloads!.remove(spec, opts());
      expect(await driver.workloads!.listOwned(installationId, opts())).not.toContain(workloadId);
    });
  });
}

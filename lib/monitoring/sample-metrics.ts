// The worker's metric sampling (task orq-metrics, metrics-task.ts): for every active provider
// whose kind reports metrics and whose interval (Provider.metricsIntervalSeconds, default 60 s)
// has elapsed, read every RUNNING machine's metrics through one driver, a bounded number at a
// time, and store one RAW MetricSample per machine (with the counters the next reading needs).
// A machine whose reading fails is skipped (logged); the others are stored. No "server-only":
// the worker runs it.
import type { Logger } from "pino";
import type { Db } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { DRIVER_PROFILES } from "../drivers/profiles";
import type { MachineMetricsReading } from "../drivers/types";
import { asDriverError, withProviderDriver } from "../providers/provider-driver";
import { countersOf, sampleFrom, type MetricCounters } from "./delta";
import { observeDriverCall } from "./platform-metrics";

/** Deadline of one provider's whole batch, and of one machine's reading. */
export const METRICS_BATCH_TIMEOUT_MS = 120_000;
export const METRICS_CALL_TIMEOUT_MS = 15_000;

export interface SampleOptions {
  now: Date;
  /** Readings in flight at once per provider (default ORQ_METRICS_CONCURRENCY or 4). */
  concurrency?: number;
  /** Machines per driver session (default 200): a provider with more gets several sessions. */
  batchSize?: number;
  /** Only this provider (tests, "sample now"). */
  providerId?: string;
  log?: Pick<Logger, "info" | "warn" | "debug">;
}

export interface SampleResult {
  providers: number;
  sampled: number;
  failed: number;
  /** Machines the provider has no figures for yet (the driver answered "no sample"): nothing stored. */
  noSample: number;
}

const METRIC_KINDS = Object.values(DRIVER_PROFILES)
  .filter((p) => (p.capabilities as readonly string[]).includes("metrics"))
  .map((p) => p.kind);

/** Runs `fn` over `items`, at most `limit` at a time. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return out;
}

function defaultConcurrency(): number {
  const n = Number(process.env.ORQ_METRICS_CONCURRENCY);
  return Number.isInteger(n) && n >= 1 && n <= 64 ? n : 4;
}

export async function sampleMetrics(db: Db, opts: SampleOptions): Promise<SampleResult> {
  const { now } = opts;
  const concurrency = opts.concurrency ?? defaultConcurrency();
  const batchSize = opts.batchSize ?? 200;
  const providers = await db.provider.findMany({
    where: { status: "ACTIVE", kind: { in: METRIC_KINDS }, ...(opts.providerId ? { id: opts.providerId } : {}) },
    select: { id: true, name: true, kind: true, endpoint: true, credentialsEnc: true, config: true, metricsIntervalSeconds: true, lastMetricsAt: true },
  });
  const result: SampleResult = { providers: 0, sampled: 0, failed: 0, noSample: 0 };
  for (const provider of providers) {
    // Due: the cron fires every minute; a few seconds early still counts as due.
    if (!opts.providerId && provider.lastMetricsAt && provider.lastMetricsAt.getTime() + provider.metricsIntervalSeconds * 1000 - 5000 > now.getTime()) continue;
    // Claim the round first (conditional on what we read): two workers never sample it twice.
    const claimed = await db.provider.updateMany({
      where: { id: provider.id, lastMetricsAt: provider.lastMetricsAt },
      data: { lastMetricsAt: now },
    });
    if (claimed.count === 0) continue;
    result.providers++;
    const machines = await db.machine.findMany({
      where: { providerId: provider.id, state: "RUNNING", externalRef: { not: null } },
      select: { id: true, projectId: true, externalRef: true, vcpu: true },
      orderBy: { id: "asc" },
    });
    for (let i = 0; i < machines.length; i += batchSize) {
      const batch = machines.slice(i, i + batchSize);
      const prevRows = await db.metricSample.findMany({
        where: { machineId: { in: batch.map((m) => m.id) }, resolution: "RAW", counters: { not: Prisma.DbNull } },
        orderBy: { at: "desc" },
        distinct: ["machineId"],
        select: { machineId: true, counters: true },
      });
      const prev = new Map(prevRows.map((r) => [r.machineId, r.counters as unknown as MetricCounters]));
      let done = 0;
      try {
        await withProviderDriver(db, provider, METRICS_BATCH_TIMEOUT_MS, async (driver, signal) => {
          if (!driver.metrics) return;
          const read = driver.metrics.bind(driver);
          await mapBounded(batch, concurrency, async (m) => {
            const started = performance.now();
            let reading: MachineMetricsReading | null;
            try {
              reading = await read(m.externalRef!, { signal: AbortSignal.any([signal, AbortSignal.timeout(METRICS_CALL_TIMEOUT_MS)]) });
              observeDriverCall(provider.kind, "metrics", "ok", (performance.now() - started) / 1000);
            } catch (err) {
              observeDriverCall(provider.kind, "metrics", "error", (performance.now() - started) / 1000);
              result.failed++;
              done++;
              const e = asDriverError(err, provider.id);
              opts.log?.warn({ providerId: provider.id, machineId: m.id, code: e.code, err: e.message }, "metrics reading failed");
              return;
            }
            if (!reading) {
              // No figures yet (not zeros): no sample this round; charts show a gap.
              result.noSample++;
              done++;
              return;
            }
            const v = sampleFrom(prev.get(m.id) ?? null, reading, m.vcpu);
            await db.metricSample.upsert({
              where: { machineId_resolution_at: { machineId: m.id, resolution: "RAW", at: now } },
              create: { machineId: m.id, projectId: m.projectId, providerId: provider.id, resolution: "RAW", at: now, ...v, counters: countersOf(reading) as unknown as Prisma.InputJsonValue },
              update: {},
            });
            result.sampled++;
            done++;
          });
        });
      } catch (err) {
        // The driver could not be built or the batch ran out of time: this batch is missed.
        const e = asDriverError(err, provider.id);
        result.failed += batch.length - done;
        opts.log?.warn({ providerId: provider.id, code: e.code, err: e.message }, "metrics batch failed");
      }
    }
  }
  return result;
}

// Downsampling and retention of MetricSample: RAW -> M5 (5-minute buckets) -> H1 (hourly).
// A rollup row averages CPU and memory (weighted by the raw samples it covers) and sums the
// disk and network amounts; it is recomputed from the rows below it (upsert), so running the
// rollup again, or while the current bucket is still filling, gives the same rows: charts of
// 24 h and more are live. Retention: RAW 24 h, M5 30 days, H1 one year. `now` is a parameter
// (the controllable clock of the tests).
import type { Db } from "../db/client";
import type { MetricResolution } from "../generated/prisma/enums";

export const RETENTION_MS: Record<MetricResolution, number> = {
  RAW: 24 * 3600_000,
  M5: 30 * 24 * 3600_000,
  H1: 365 * 24 * 3600_000,
};

const BUCKET: Record<"M5" | "H1", { interval: string; ms: number; from: MetricResolution }> = {
  M5: { interval: "5 minutes", ms: 5 * 60_000, from: "RAW" },
  H1: { interval: "1 hour", ms: 3600_000, from: "M5" },
};

/** The bucket (start) `at` falls in. */
export function bucketStart(at: Date, resolution: "M5" | "H1"): Date {
  const ms = BUCKET[resolution].ms;
  return new Date(Math.floor(at.getTime() / ms) * ms);
}

/**
 * Recomputes the `resolution` rows of every bucket from `since`'s bucket up to `now`'s (the
 * current one included). Returns the number of rows written.
 */
async function rollup(db: Db, resolution: "M5" | "H1", since: Date, now: Date): Promise<number> {
  const { interval, from } = BUCKET[resolution];
  const start = bucketStart(since, resolution);
  return db.$executeRaw`
    INSERT INTO "MetricSample" ("machineId", "projectId", "providerId", "resolution", "at", "cpuPercent", "memoryUsedBytes", "memoryTotalBytes",
                                "diskReadBytes", "diskWriteBytes", "netInBytes", "netOutBytes", "samples")
    SELECT "machineId", (array_agg("projectId" ORDER BY "at" DESC))[1], (array_agg("providerId" ORDER BY "at" DESC))[1],
           ${resolution}::"MetricResolution", date_bin(${interval}::interval, "at", TIMESTAMP '2000-01-01') AS bucket,
           sum("cpuPercent" * "samples") / NULLIF(sum(CASE WHEN "cpuPercent" IS NULL THEN 0 ELSE "samples" END), 0),
           sum("memoryUsedBytes" * "samples") / sum("samples"), max("memoryTotalBytes"),
           sum("diskReadBytes"), sum("diskWriteBytes"), sum("netInBytes"), sum("netOutBytes"), sum("samples")::int
    FROM "MetricSample"
    WHERE "resolution" = ${from}::"MetricResolution" AND "at" >= ${start} AND "at" <= ${now}
    GROUP BY "machineId", bucket
    ON CONFLICT ("machineId", "resolution", "at") DO UPDATE SET
      "cpuPercent" = EXCLUDED."cpuPercent", "memoryUsedBytes" = EXCLUDED."memoryUsedBytes", "memoryTotalBytes" = EXCLUDED."memoryTotalBytes",
      "diskReadBytes" = EXCLUDED."diskReadBytes", "diskWriteBytes" = EXCLUDED."diskWriteBytes", "netInBytes" = EXCLUDED."netInBytes",
      "netOutBytes" = EXCLUDED."netOutBytes", "samples" = EXCLUDED."samples"`;
}

export interface RollupResult {
  m5: number;
  h1: number;
  pruned: Record<MetricResolution, number>;
}

/**
 * Rolls up what changed since the last run (the newest rollup row's bucket, or the retention
 * window of the source), then prunes past the retention. One run at a time (advisory lock).
 */
export async function rollupMetrics(db: Db, now: Date): Promise<RollupResult> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`select pg_advisory_xact_lock(hashtext('orq-metrics-rollup'))`;
      const t = tx as unknown as Db;
      const newest = async (r: MetricResolution) =>
        (await tx.metricSample.findFirst({ where: { resolution: r, at: { lte: now } }, orderBy: { at: "desc" }, select: { at: true } }))?.at;
      const m5Since = (await newest("M5")) ?? new Date(now.getTime() - RETENTION_MS.RAW);
      const m5 = await rollup(t, "M5", m5Since, now);
      const h1Since = (await newest("H1")) ?? new Date(now.getTime() - RETENTION_MS.M5);
      const h1 = await rollup(t, "H1", h1Since, now);
      const pruned = { RAW: 0, M5: 0, H1: 0 } as Record<MetricResolution, number>;
      for (const r of ["RAW", "M5", "H1"] as const) {
        const cut = new Date(now.getTime() - RETENTION_MS[r]);
        pruned[r] = (await tx.metricSample.deleteMany({ where: { resolution: r, at: { lt: cut } } })).count;
      }
      return { m5, h1, pruned };
    },
    { timeout: 120_000 },
  );
}

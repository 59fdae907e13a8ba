import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { can } from "../auth/permissions";
import { notFound } from "../errors";
import { DRIVER_PROFILES } from "../drivers/profiles";
import type { MetricResolution } from "../generated/prisma/enums";
import type { machineMetricsSchema, MetricRange } from "./schemas";
import type { MachineMetrics } from "./views";

const RANGES: Record<MetricRange, { ms: number; resolution: MetricResolution; stepSeconds?: number }> = {
  "1h": { ms: 3600_000, resolution: "RAW" },
  "24h": { ms: 24 * 3600_000, resolution: "M5", stepSeconds: 300 },
  "7d": { ms: 7 * 24 * 3600_000, resolution: "H1", stepSeconds: 3600 },
  "30d": { ms: 30 * 24 * 3600_000, resolution: "H1", stepSeconds: 3600 },
};

/**
 * A machine's resource use over a range, oldest first, for the charts: raw samples for an hour,
 * 5-minute rollups for a day, hourly ones beyond. Disk and network as bytes per second.
 */
export async function getMachineMetrics(ctx: Ctx, input: z.infer<typeof machineMetricsSchema>): Promise<MachineMetrics> {
  const m = await ctx.db.machine.findUnique({
    where: { id: input.machineId },
    select: { id: true, projectId: true, provider: { select: { kind: true, metricsIntervalSeconds: true } } },
  });
  if (!m || !can(ctx.actor, "machine.read", m.projectId)) throw notFound("Machine");
  const r = RANGES[input.range];
  const step = r.stepSeconds ?? m.provider?.metricsIntervalSeconds ?? 60;
  const rows = await ctx.db.metricSample.findMany({
    where: { machineId: m.id, resolution: r.resolution, at: { gte: new Date(ctx.now().getTime() - r.ms) } },
    orderBy: { at: "asc" },
    take: 2000,
  });
  const supported = !!m.provider && (DRIVER_PROFILES[m.provider.kind].capabilities as readonly string[]).includes("metrics");
  return {
    machineId: m.id,
    range: input.range,
    resolution: r.resolution,
    stepSeconds: step,
    supported,
    points: rows.map((s) => ({
      at: s.at.toISOString(),
      cpuPercent: s.cpuPercent,
      memoryUsedBytes: s.memoryUsedBytes,
      memoryTotalBytes: s.memoryTotalBytes,
      diskReadBps: s.diskReadBytes / step,
      diskWriteBps: s.diskWriteBytes / step,
      netInBps: s.netInBytes / step,
      netOutBps: s.netOutBytes / step,
    })),
  };
}

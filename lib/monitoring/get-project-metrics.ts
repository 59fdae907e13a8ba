import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { can } from "../auth/permissions";
import { notFound } from "../errors";
import type { MetricResolution } from "../generated/prisma/enums";
import type { projectMetricsSchema } from "./schemas";

const RANGES: Record<string, { ms: number; resolution: MetricResolution }> = {
  "1h": { ms: 3600_000, resolution: "RAW" },
  "24h": { ms: 24 * 3600_000, resolution: "M5" },
  "7d": { ms: 7 * 24 * 3600_000, resolution: "H1" },
  "30d": { ms: 30 * 24 * 3600_000, resolution: "H1" },
};

/**
 * A project's aggregate over a range: the top consumers (average CPU and memory per machine,
 * highest CPU first, ten) and the project's average CPU and total memory in use over time.
 */
export async function getProjectMetrics(ctx: Ctx, input: z.infer<typeof projectMetricsSchema>) {
  if (!can(ctx.actor, "machine.read", input.projectId)) throw notFound("Project");
  const r = RANGES[input.range];
  const since = new Date(ctx.now().getTime() - r.ms);
  const top = await ctx.db.$queryRaw<{ machineId: string; name: string; cpuPercent: number | null; memoryUsedBytes: number }[]>`
    select s."machineId", m.name, avg(s."cpuPercent")::float8 as "cpuPercent", avg(s."memoryUsedBytes")::float8 as "memoryUsedBytes"
      from "MetricSample" s join "Machine" m on m.id = s."machineId"
     where s."projectId" = ${input.projectId}::uuid and s.resolution = ${r.resolution}::"MetricResolution" and s.at >= ${since}
     group by s."machineId", m.name
     order by avg(s."cpuPercent") desc nulls last, m.name
     limit 10`;
  const series = await ctx.db.$queryRaw<{ at: Date; cpuPercent: number | null; memoryUsedBytes: number; machines: number }[]>`
    select at, avg("cpuPercent")::float8 as "cpuPercent", sum("memoryUsedBytes")::float8 as "memoryUsedBytes", count(*)::int as machines
      from "MetricSample"
     where "projectId" = ${input.projectId}::uuid and resolution = ${r.resolution}::"MetricResolution" and at >= ${since}
     group by at order by at`;
  return {
    projectId: input.projectId,
    range: input.range,
    resolution: r.resolution,
    topConsumers: top,
    series: series.map((p) => ({ at: p.at.toISOString(), cpuPercent: p.cpuPercent, memoryUsedBytes: p.memoryUsedBytes, machines: p.machines })),
  };
}

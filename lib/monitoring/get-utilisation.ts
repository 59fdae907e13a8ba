import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import type { MetricResolution } from "../generated/prisma/enums";
import type { MetricRange, utilisationSchema } from "./schemas";

const RANGES: Record<MetricRange, { ms: number; resolution: MetricResolution; stepSeconds: number }> = {
  "1h": { ms: 3600_000, resolution: "RAW", stepSeconds: 60 },
  "24h": { ms: 24 * 3600_000, resolution: "M5", stepSeconds: 300 },
  "7d": { ms: 7 * 24 * 3600_000, resolution: "H1", stepSeconds: 3600 },
  "30d": { ms: 30 * 24 * 3600_000, resolution: "H1", stepSeconds: 3600 },
};

export interface UtilisationPoint {
  at: string;
  /** Machines with a sample in the point. */
  machines: number;
  /** What those machines hold (their reservations). */
  vcpuAllocated: number;
  memoryMbAllocated: number;
  /** Measured: CPU in vCPUs busy (each machine's CPU % of its vCPUs), memory in use in MiB. */
  vcpuUsed: number;
  memoryMbUsed: number;
}

export interface ProviderUtilisation {
  id: string;
  name: string;
  kind: string;
  /** Sum over the provider's hosts that are not disabled; null: no hosts known (public clouds). */
  capacity: { vcpu: number; memoryMb: number } | null;
  /** What the hosts' counters say is allocated now. */
  allocatedNow: { vcpu: number; memoryMb: number } | null;
  series: UtilisationPoint[];
}

/**
 * Host utilisation over a range, per provider: each point sums the sampled machines'
 * reservations (allocated) and their measured use (CPU as busy vCPUs, memory in MiB), beside
 * the provider's host capacity. Raw samples binned by the minute for 1h, 5-minute rollups for
 * 24h, hourly ones for 7d and 30d. Administrators only.
 */
export async function getUtilisation(ctx: Ctx, input: z.infer<typeof utilisationSchema>) {
  assertCan(ctx.actor, "host.manage");
  const r = RANGES[input.range];
  const since = new Date(ctx.now().getTime() - r.ms);
  const providers = await ctx.db.provider.findMany({
    where: input.providerId ? { id: input.providerId } : {},
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: { id: true, name: true, kind: true, hosts: { where: { state: { not: "DISABLED" } }, select: { vcpuTotal: true, memoryMbTotal: true, vcpuUsed: true, memoryMbUsed: true } } },
  });
  const step = `${r.stepSeconds} seconds`;
  const rows = await ctx.db.$queryRaw<
    { providerId: string; at: Date; machines: number; vcpuAllocated: number; memoryMbAllocated: number; vcpuUsed: number; memoryUsedBytes: number }[]
  >`
    with per as (
      select s."providerId", date_bin(${step}::interval, s.at, timestamp '2000-01-01') as b, s."machineId",
             avg(s."cpuPercent") as cpu, avg(s."memoryUsedBytes") as mem
        from "MetricSample" s
       where s.resolution = ${r.resolution}::"MetricResolution" and s.at >= ${since} and s.at <= ${ctx.now()}
         and s."providerId" = any(${providers.map((p) => p.id)}::uuid[])
       group by 1, 2, 3)
    select per."providerId", per.b as at, count(*)::int as machines,
           sum(m.vcpu)::float8 as "vcpuAllocated", sum(m."memoryMb")::float8 as "memoryMbAllocated",
           sum(coalesce(per.cpu, 0) / 100.0 * m.vcpu)::float8 as "vcpuUsed", sum(per.mem)::float8 as "memoryUsedBytes"
      from per join "Machine" m on m.id = per."machineId"
     group by 1, 2 order by 1, 2`;
  const byProvider = new Map<string, UtilisationPoint[]>();
  for (const p of rows) {
    const list = byProvider.get(p.providerId) ?? [];
    list.push({
      at: p.at.toISOString(),
      machines: p.machines,
      vcpuAllocated: p.vcpuAllocated,
      memoryMbAllocated: p.memoryMbAllocated,
      vcpuUsed: Math.round(p.vcpuUsed * 100) / 100,
      memoryMbUsed: Math.round(p.memoryUsedBytes / 1048576),
    });
    byProvider.set(p.providerId, list);
  }
  const items: ProviderUtilisation[] = providers.map((p) => {
    const sum = (f: (h: (typeof p.hosts)[number]) => number) => p.hosts.reduce((a, h) => a + f(h), 0);
    return {
      id: p.id,
      name: p.name,
      kind: p.kind,
      capacity: p.hosts.length ? { vcpu: sum((h) => h.vcpuTotal), memoryMb: sum((h) => h.memoryMbTotal) } : null,
      allocatedNow: p.hosts.length ? { vcpu: sum((h) => h.vcpuUsed), memoryMb: sum((h) => h.memoryMbUsed) } : null,
      series: byProvider.get(p.id) ?? [],
    };
  });
  return { range: input.range, resolution: r.resolution, stepSeconds: r.stepSeconds, providers: items };
}

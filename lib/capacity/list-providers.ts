import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { hostUsage, sumUsage, type HostUsage } from "./capacity-math";

export interface ProviderCapacityView {
  id: string;
  name: string;
  kind: string;
  status: string;
  statusReason: string | null;
  endpoint: string;
  placementPolicy: string;
  hostCount: number;
  hostsInMaintenance: number;
  machineCount: number;
  lastSyncAt: string | null;
  usage: HostUsage;
}

/** Every provider with its hosts' aggregate capacity (administrators only). */
export async function listProviders(ctx: Ctx): Promise<ProviderCapacityView[]> {
  assertCan(ctx.actor, "provider.manage");
  const providers = await ctx.db.provider.findMany({
    orderBy: { name: "asc" },
    include: {
      hosts: {
        select: {
          state: true,
          vcpuTotal: true,
          memoryMbTotal: true,
          diskSsdGbTotal: true,
          diskHddGbTotal: true,
          vcpuUsed: true,
          memoryMbUsed: true,
          diskSsdGbUsed: true,
          diskHddGbUsed: true,
        },
      },
      _count: { select: { machines: { where: { state: { not: "DELETED" } } } } },
    },
  });
  return providers.map((p) => {
    // Disabled hosts serve nothing: they are counted but not in the capacity.
    const serving = p.hosts.filter((h) => h.state !== "DISABLED");
    return {
      id: p.id,
      name: p.name,
      kind: p.kind,
      status: p.status,
      statusReason: p.statusReason,
      endpoint: p.endpoint,
      placementPolicy: p.placementPolicy,
      hostCount: p.hosts.length,
      hostsInMaintenance: p.hosts.filter((h) => h.state === "MAINTENANCE").length,
      machineCount: p._count.machines,
      lastSyncAt: p.lastSyncAt?.toISOString() ?? null,
      usage: sumUsage(serving.map((h) => hostUsage(h, p)), p),
    };
  });
}

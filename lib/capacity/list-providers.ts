import "server-only";
import { containsText } from "../db/like";
import type { Ctx } from "../context";
import type { Prisma } from "../db/client";
import { ProviderKind, ProviderStatus } from "../generated/prisma/enums";
import { assertCan } from "../auth/permissions";
import type { SortDir } from "../pagination";
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

export const PROVIDER_KINDS = Object.values(ProviderKind);
export const PROVIDER_STATUSES = Object.values(ProviderStatus);
export const PROVIDER_SORTS = ["name", "kind", "status", "machines", "hosts", "cpu", "lastSync"] as const;
export type ProviderSort = (typeof PROVIDER_SORTS)[number];

export interface ListProvidersInput {
  /** Name or endpoint contains (any case). */
  q?: string;
  kind?: ProviderKind;
  status?: ProviderStatus;
  sort?: ProviderSort;
  dir?: SortDir;
}

/** The first direction of a sort: names ascending, counts and usage largest first. */
export function providerSortDefaultDir(sort: ProviderSort | undefined): SortDir {
  return !sort || sort === "name" || sort === "kind" || sort === "status" ? "asc" : "desc";
}

const sortKey: Record<ProviderSort, (p: ProviderCapacityView) => string | number> = {
  name: (p) => p.name.toLowerCase(),
  kind: (p) => p.kind,
  // Enum order: active, unavailable, disabled.
  status: (p) => PROVIDER_STATUSES.indexOf(p.status as ProviderStatus),
  machines: (p) => p.machineCount,
  hosts: (p) => p.hostCount,
  cpu: (p) => (p.usage.vcpu.capacity > 0 ? p.usage.vcpu.used / p.usage.vcpu.capacity : -1),
  lastSync: (p) => (p.lastSyncAt ? Date.parse(p.lastSyncAt) : -1),
};

/**
 * Every provider with its hosts' aggregate capacity (administrators only), optionally searched
 * (name or endpoint), filtered by kind and status, and sorted (ties by name, then id). Providers
 * are few (tens): the capacity is summed per provider and the sort happens on the summed views.
 */
export async function listProviders(ctx: Ctx, input: ListProvidersInput = {}): Promise<ProviderCapacityView[]> {
  assertCan(ctx.actor, "provider.manage");
  const q = input.q?.trim();
  const where: Prisma.ProviderWhereInput = {
    ...(q ? { OR: [{ name: containsText(q) }, { endpoint: containsText(q) }] } : {}),
    ...(input.kind ? { kind: input.kind } : {}),
    ...(input.status ? { status: input.status } : {}),
  };
  const providers = await ctx.db.provider.findMany({
    where,
    orderBy: [{ name: "asc" }, { id: "asc" }],
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
  const views: ProviderCapacityView[] = providers.map((p) => {
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
  if (!input.sort) return views;
  const key = sortKey[input.sort];
  const sign = (input.dir ?? providerSortDefaultDir(input.sort)) === "asc" ? 1 : -1;
  // Stable sort over the name-ordered list: equal keys stay by name.
  return views.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -sign : x > y ? sign : 0;
  });
}

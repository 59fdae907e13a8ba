// Placement rules, pure: which hosts can take a machine and which is best. The database query
// in place-machine.ts applies the same filters in SQL (so 10,000 hosts cost one indexed scan)
// and hands the top candidates here; these functions are the specification the unit tests pin.
import type { DiskTier, HostState, PlacementPolicy, ProviderStatus } from "../generated/prisma/enums";

export interface PlacementNeed {
  vcpu: number;
  memoryMb: number;
  diskGb: number;
  diskTier: DiskTier;
}

export interface PlacementHost {
  id: string;
  providerId: string;
  state: HostState;
  providerStatus: ProviderStatus;
  /** The provider has a TemplateProviderRef for the machine's template. */
  hasTemplate: boolean;
  vcpuTotal: number;
  memoryMbTotal: number;
  diskSsdGbTotal: number;
  diskHddGbTotal: number;
  vcpuUsed: number;
  memoryMbUsed: number;
  diskSsdGbUsed: number;
  diskHddGbUsed: number;
  cpuOvercommit: number;
  memoryOvercommit: number;
  diskOvercommit: number;
  placementPolicy: PlacementPolicy;
  /** Machines of the same request already on this host (anti-affinity). */
  siblings: number;
  /** Position of the host's provider in the project's placement policy (lower first; lib/costs). */
  providerRank?: number;
}

export type Ineligibility = "PROVIDER_NOT_ACTIVE" | "HOST_NOT_ACTIVE" | "NO_TEMPLATE" | "NO_DISK_TIER" | "NO_VCPU" | "NO_MEMORY" | "NO_DISK";

/** What a host can hold in all: its physical totals times the provider's overcommit ratios. */
export function capacityOf(h: PlacementHost, tier: DiskTier) {
  const diskTotal = tier === "SSD" ? h.diskSsdGbTotal : h.diskHddGbTotal;
  return {
    vcpu: Math.floor(h.vcpuTotal * h.cpuOvercommit),
    memoryMb: Math.floor(h.memoryMbTotal * h.memoryOvercommit),
    diskGb: Math.floor(diskTotal * h.diskOvercommit),
    diskUsed: tier === "SSD" ? h.diskSsdGbUsed : h.diskHddGbUsed,
    diskTotal,
  };
}

/** Why a host cannot take the machine, or null when it can. */
export function whyIneligible(h: PlacementHost, need: PlacementNeed): Ineligibility | null {
  if (h.providerStatus !== "ACTIVE") return "PROVIDER_NOT_ACTIVE";
  if (h.state !== "ACTIVE") return "HOST_NOT_ACTIVE";
  if (!h.hasTemplate) return "NO_TEMPLATE";
  const cap = capacityOf(h, need.diskTier);
  if (cap.diskTotal <= 0) return "NO_DISK_TIER";
  if (h.vcpuUsed + need.vcpu > cap.vcpu) return "NO_VCPU";
  if (h.memoryMbUsed + need.memoryMb > cap.memoryMb) return "NO_MEMORY";
  if (cap.diskUsed + need.diskGb > cap.diskGb) return "NO_DISK";
  return null;
}

/**
 * How free the host would be after taking the machine: the mean over vCPU, memory and the
 * disk tier of (capacity - used - need) / capacity, in [0, 1].
 */
export function freeAfter(h: PlacementHost, need: PlacementNeed): number {
  const cap = capacityOf(h, need.diskTier);
  const part = (c: number, used: number, n: number) => (c <= 0 ? 0 : Math.max(0, (c - used - n) / c));
  return (part(cap.vcpu, h.vcpuUsed, need.vcpu) + part(cap.memoryMb, h.memoryMbUsed, need.memoryMb) + part(cap.diskGb, cap.diskUsed, need.diskGb)) / 3;
}

/** Higher is better: spread prefers the most free host, pack the least free. */
export function score(h: PlacementHost, need: PlacementNeed): number {
  const free = freeAfter(h, need);
  return h.placementPolicy === "PACK" ? 1 - free : free;
}

/**
 * Eligible hosts, best first: by the project's provider preference (the cheapest provider
 * with room before a dearer one), then hosts without machines of the same request
 * (anti-affinity where possible), then by the provider's policy score; ties by id so that
 * placement is deterministic.
 */
export function rankHosts(hosts: readonly PlacementHost[], need: PlacementNeed): PlacementHost[] {
  return hosts
    .filter((h) => whyIneligible(h, need) === null)
    .map((h) => ({ h, s: score(h, need) }))
    .sort(
      (a, b) =>
        (a.h.providerRank ?? 0) - (b.h.providerRank ?? 0) ||
        a.h.siblings - b.h.siblings ||
        b.s - a.s ||
        (a.h.id < b.h.id ? -1 : a.h.id > b.h.id ? 1 : 0),
    )
    .map((x) => x.h);
}

/** A sentence for the machine page when nothing fits. */
export function noCapacityReason(need: PlacementNeed): string {
  const gib = need.memoryMb / 1024;
  const mem = Number.isInteger(gib) ? `${gib} GiB` : `${need.memoryMb} MiB`;
  return `No host has room for ${need.vcpu} vCPU, ${mem} of memory and ${need.diskGb} GB of ${need.diskTier} disk on an active provider that offers this template`;
}

/**
 * Spreads a burst: hosts whose score is within `epsilon` of the best (and with as few
 * siblings) are tried in random order, so concurrent placements that all read the same
 * usage do not pile onto one host. Pack keeps its strict order (filling one host is its point).
 */
export function shuffleTies(ranked: PlacementHost[], need: PlacementNeed, random: () => number = Math.random, epsilon = 0.02): PlacementHost[] {
  if (ranked.length < 2 || ranked[0].placementPolicy === "PACK") return ranked;
  const best = score(ranked[0], need);
  let n = 1;
  while (
    n < ranked.length &&
    (ranked[n].providerRank ?? 0) === (ranked[0].providerRank ?? 0) &&
    ranked[n].siblings === ranked[0].siblings &&
    best - score(ranked[n], need) <= epsilon
  )
    n++;
  const head = ranked.slice(0, n);
  for (let i = head.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [head[i], head[j]] = [head[j], head[i]];
  }
  return [...head, ...ranked.slice(n)];
}

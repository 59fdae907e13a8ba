// Host capacity under a provider's overcommit ratios: what placement may hand out is
// total x ratio (CPU 4:1 means 32 physical vCPU serve 128). Pure, shared by views and tests.

export interface Ratios {
  cpuOvercommit: number;
  memoryOvercommit: number;
  diskOvercommit: number;
}

export interface HostCounters {
  vcpuTotal: number;
  memoryMbTotal: number;
  diskSsdGbTotal: number;
  diskHddGbTotal: number;
  vcpuUsed: number;
  memoryMbUsed: number;
  diskSsdGbUsed: number;
  diskHddGbUsed: number;
}

export interface ResourceUsage {
  used: number;
  /** Physical total. */
  total: number;
  /** What may be allocated: floor(total x ratio). */
  capacity: number;
  ratio: number;
}

export interface HostUsage {
  vcpu: ResourceUsage;
  memoryMb: ResourceUsage;
  diskSsdGb: ResourceUsage;
  diskHddGb: ResourceUsage;
}

const usage = (used: number, total: number, ratio: number): ResourceUsage => ({ used, total, capacity: Math.floor(total * ratio), ratio });

export function hostUsage(h: HostCounters, r: Ratios): HostUsage {
  return {
    vcpu: usage(h.vcpuUsed, h.vcpuTotal, r.cpuOvercommit),
    memoryMb: usage(h.memoryMbUsed, h.memoryMbTotal, r.memoryOvercommit),
    diskSsdGb: usage(h.diskSsdGbUsed, h.diskSsdGbTotal, r.diskOvercommit),
    diskHddGb: usage(h.diskHddGbUsed, h.diskHddGbTotal, r.diskOvercommit),
  };
}

/** Sums host usages (a provider's aggregate). Ratios are per provider, so they stay as given. */
export function sumUsage(list: readonly HostUsage[], r: Ratios): HostUsage {
  const zero = (ratio: number): ResourceUsage => ({ used: 0, total: 0, capacity: 0, ratio });
  const acc: HostUsage = { vcpu: zero(r.cpuOvercommit), memoryMb: zero(r.memoryOvercommit), diskSsdGb: zero(r.diskOvercommit), diskHddGb: zero(r.diskOvercommit) };
  for (const u of list) {
    for (const k of ["vcpu", "memoryMb", "diskSsdGb", "diskHddGb"] as const) {
      acc[k].used += u[k].used;
      acc[k].total += u[k].total;
      acc[k].capacity += u[k].capacity;
    }
  }
  return acc;
}

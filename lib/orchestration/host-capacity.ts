// Host capacity bookkeeping. Reservations are one conditional UPDATE each: the row lock
// serialises concurrent reservations on a host and PostgreSQL re-checks the WHERE clause
// against the latest committed usage, so under any concurrency no host goes past
// total x overcommit ratio. Releases never take usage below zero.
import type { Tx } from "../db/client";
import type { DiskTier } from "../generated/prisma/enums";

export interface HostDelta {
  vcpu: number;
  memoryMb: number;
  diskSsdGb: number;
  diskHddGb: number;
}

export const hostDemand = (o: { vcpu: number; memoryMb: number; diskGb: number; diskTier: DiskTier }): HostDelta => ({
  vcpu: o.vcpu,
  memoryMb: o.memoryMb,
  diskSsdGb: o.diskTier === "SSD" ? o.diskGb : 0,
  diskHddGb: o.diskTier === "HDD" ? o.diskGb : 0,
});

export const minusDelta = (a: HostDelta, b: HostDelta): HostDelta => ({
  vcpu: a.vcpu - b.vcpu,
  memoryMb: a.memoryMb - b.memoryMb,
  diskSsdGb: a.diskSsdGb - b.diskSsdGb,
  diskHddGb: a.diskHddGb - b.diskHddGb,
});

/**
 * Adds `d` to the host's usage when every growing resource still fits its ratio and the host
 * and its provider are active. Negative parts (a resize that shrinks) always apply.
 * Returns whether it was reserved.
 */
export async function reserveOnHost(tx: Tx, hostId: string, d: HostDelta, opts: { requireActive?: boolean } = {}): Promise<boolean> {
  const requireActive = opts.requireActive ?? true;
  const n = await tx.$executeRaw`
    update "Host" h set
      "vcpuUsed" = greatest(0, h."vcpuUsed" + ${d.vcpu}::int),
      "memoryMbUsed" = greatest(0, h."memoryMbUsed" + ${d.memoryMb}::int),
      "diskSsdGbUsed" = greatest(0, h."diskSsdGbUsed" + ${d.diskSsdGb}::int),
      "diskHddGbUsed" = greatest(0, h."diskHddGbUsed" + ${d.diskHddGb}::int),
      "updatedAt" = now()
    from "Provider" p
    where h.id = ${hostId}::uuid and p.id = h."providerId"
      and (${!requireActive}::boolean or (h.state = 'ACTIVE' and p.status = 'ACTIVE'))
      and (${d.vcpu}::int <= 0 or h."vcpuUsed" + ${d.vcpu}::int <= floor(h."vcpuTotal" * p."cpuOvercommit"))
      and (${d.memoryMb}::int <= 0 or h."memoryMbUsed" + ${d.memoryMb}::int <= floor(h."memoryMbTotal" * p."memoryOvercommit"))
      and (${d.diskSsdGb}::int <= 0 or h."diskSsdGbUsed" + ${d.diskSsdGb}::int <= floor(h."diskSsdGbTotal" * p."diskOvercommit"))
      and (${d.diskHddGb}::int <= 0 or h."diskHddGbUsed" + ${d.diskHddGb}::int <= floor(h."diskHddGbTotal" * p."diskOvercommit"))`;
  return n === 1;
}

/** Gives capacity back (never below zero). */
export async function releaseOnHost(tx: Tx, hostId: string, d: HostDelta): Promise<void> {
  await tx.$executeRaw`
    update "Host" set
      "vcpuUsed" = greatest(0, "vcpuUsed" - ${d.vcpu}::int),
      "memoryMbUsed" = greatest(0, "memoryMbUsed" - ${d.memoryMb}::int),
      "diskSsdGbUsed" = greatest(0, "diskSsdGbUsed" - ${d.diskSsdGb}::int),
      "diskHddGbUsed" = greatest(0, "diskHddGbUsed" - ${d.diskHddGb}::int),
      "updatedAt" = now()
    where id = ${hostId}::uuid`;
}

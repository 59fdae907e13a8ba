// What a resize changes in the project's usage: the new offering's demand minus the old
// one's (negative numbers give quota back). Pure: the resize dialog shows the same figures.
import { demandOf, type Demand, type OfferingSize, type ProjectQuota, type QuotaResource } from "../quotas/impact";

export function resizeDelta(from: OfferingSize, to: OfferingSize): Demand {
  const a = demandOf(from, 1);
  const b = demandOf(to, 1);
  return {
    vcpu: b.vcpu - a.vcpu,
    memoryMb: b.memoryMb - a.memoryMb,
    diskSsdGb: b.diskSsdGb - a.diskSsdGb,
    diskHddGb: b.diskHddGb - a.diskHddGb,
    machines: 0,
    monthlyCents: b.monthlyCents - a.monthlyCents,
  };
}

/** Resources a resize would take over the project's limits (only growth counts). */
export function resizeExceeds(project: ProjectQuota, delta: Demand): QuotaResource[] {
  const over = (used: number, add: number, limit: number | null) => add > 0 && limit !== null && used + add > limit;
  const out: QuotaResource[] = [];
  if (over(project.usedVcpu, delta.vcpu, project.quotaVcpu)) out.push("vcpu");
  if (over(project.usedMemoryMb, delta.memoryMb, project.quotaMemoryMb)) out.push("memory");
  if (over(project.usedDiskSsdGb, delta.diskSsdGb, project.quotaDiskSsdGb)) out.push("diskSsd");
  if (over(project.usedDiskHddGb, delta.diskHddGb, project.quotaDiskHddGb)) out.push("diskHdd");
  if (over(project.usedMonthlyCents, delta.monthlyCents, project.monthlyBudgetCents)) out.push("budget");
  return out;
}

/** Disks never shrink (no hypervisor does it safely): a target with a smaller disk is refused. */
export const shrinksDisk = (from: Pick<OfferingSize, "diskGb">, to: Pick<OfferingSize, "diskGb">) => to.diskGb < from.diskGb;

/**
 * A resize to another disk tier needs a provider that can move disks between tiers (its
 * profile's `migratesDiskTier`); otherwise the machine keeps its tier.
 */
export function tierChangeAllowed(machine: { diskTier: string }, target: { diskTier: string }, migratesDiskTier: boolean): boolean {
  return machine.diskTier === target.diskTier || migratesDiskTier;
}

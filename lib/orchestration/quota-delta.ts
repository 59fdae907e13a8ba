// Quota changes of a resize: growth is reserved with a conditional UPDATE (only the growing
// resources are checked, so a shrink always goes through); undoing or shrinking applies the
// delta without a check and never goes below zero.
import type { Tx } from "../db/client";
import type { Demand } from "../quotas/impact";

export async function reserveQuotaDelta(tx: Tx, projectId: string, d: Demand): Promise<boolean> {
  const n = await tx.$executeRaw`
    update "Project" set
      "usedVcpu" = greatest(0, "usedVcpu" + ${d.vcpu}::int),
      "usedMemoryMb" = greatest(0, "usedMemoryMb" + ${d.memoryMb}::int),
      "usedDiskSsdGb" = greatest(0, "usedDiskSsdGb" + ${d.diskSsdGb}::int),
      "usedDiskHddGb" = greatest(0, "usedDiskHddGb" + ${d.diskHddGb}::int),
      "usedMachines" = greatest(0, "usedMachines" + ${d.machines}::int),
      "usedMonthlyCents" = greatest(0, "usedMonthlyCents" + ${d.monthlyCents}::int),
      "updatedAt" = now()
    where id = ${projectId}::uuid
      and (${d.vcpu}::int <= 0 or "usedVcpu" + ${d.vcpu}::int <= "quotaVcpu")
      and (${d.memoryMb}::int <= 0 or "usedMemoryMb" + ${d.memoryMb}::int <= "quotaMemoryMb")
      and (${d.diskSsdGb}::int <= 0 or "usedDiskSsdGb" + ${d.diskSsdGb}::int <= "quotaDiskSsdGb")
      and (${d.diskHddGb}::int <= 0 or "usedDiskHddGb" + ${d.diskHddGb}::int <= "quotaDiskHddGb")
      and (${d.machines}::int <= 0 or "usedMachines" + ${d.machines}::int <= "quotaMachines")
      and (${d.monthlyCents}::int <= 0 or "monthlyBudgetCents" is null or "usedMonthlyCents" + ${d.monthlyCents}::int <= "monthlyBudgetCents")`;
  return n === 1;
}

export const negate = (d: Demand): Demand => ({
  vcpu: -d.vcpu,
  memoryMb: -d.memoryMb,
  diskSsdGb: -d.diskSsdGb,
  diskHddGb: -d.diskHddGb,
  machines: -d.machines,
  monthlyCents: -d.monthlyCents,
});

/** Applies a delta without checking limits (undoing a reservation). */
export async function applyQuotaDelta(tx: Tx, projectId: string, d: Demand): Promise<void> {
  await tx.$executeRaw`
    update "Project" set
      "usedVcpu" = greatest(0, "usedVcpu" + ${d.vcpu}::int),
      "usedMemoryMb" = greatest(0, "usedMemoryMb" + ${d.memoryMb}::int),
      "usedDiskSsdGb" = greatest(0, "usedDiskSsdGb" + ${d.diskSsdGb}::int),
      "usedDiskHddGb" = greatest(0, "usedDiskHddGb" + ${d.diskHddGb}::int),
      "usedMachines" = greatest(0, "usedMachines" + ${d.machines}::int),
      "usedMonthlyCents" = greatest(0, "usedMonthlyCents" + ${d.monthlyCents}::int),
      "updatedAt" = now()
    where id = ${projectId}::uuid`;
}

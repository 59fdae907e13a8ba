// What a workload holds of its project's quota: reservedReplicas x the per-replica limits
// stored on the workload at request time (vcpu, memoryMb, monthlyCents). Containers reserve no
// disk and are not machines. Shared by the web side and the worker (no "server-only").
import type { Tx } from "../db/client";
import type { Demand, OfferingSize } from "../quotas/impact";

export interface WorkloadReservation {
  vcpu: number;
  memoryMb: number;
  monthlyCents: number;
}

export const workloadDemand = (w: WorkloadReservation, replicas: number): Demand => ({
  vcpu: w.vcpu * replicas,
  memoryMb: w.memoryMb * replicas,
  diskSsdGb: 0,
  diskHddGb: 0,
  machines: 0,
  monthlyCents: w.monthlyCents * replicas,
});

/** The per-replica size as the quota error explains it. */
export const replicaSize = (w: WorkloadReservation): OfferingSize => ({ vcpu: w.vcpu, memoryMb: w.memoryMb, diskGb: 0, diskTier: "SSD", monthlyPriceCents: w.monthlyCents });

/** Gives `replicas` replicas' worth back (never below zero), as release-quota does. */
export async function releaseWorkloadQuota(tx: Tx, projectId: string, w: WorkloadReservation, replicas: number): Promise<void> {
  if (replicas <= 0) return;
  const d = workloadDemand(w, replicas);
  await tx.$executeRaw`
    update "Project" set
      "usedVcpu" = greatest(0, "usedVcpu" - ${d.vcpu}),
      "usedMemoryMb" = greatest(0, "usedMemoryMb" - ${d.memoryMb}),
      "usedMonthlyCents" = greatest(0, "usedMonthlyCents" - ${d.monthlyCents}),
      "updatedAt" = now()
    where id = ${projectId}::uuid`;
}

/**
 * Adds `replicas` replicas' worth if every limit still holds (one conditional UPDATE on the
 * project row, as reserve-quota.ts): true when reserved.
 */
export async function reserveWorkloadQuota(tx: Tx, projectId: string, w: WorkloadReservation, replicas: number): Promise<boolean> {
  if (replicas <= 0) return true;
  const d = workloadDemand(w, replicas);
  const n = await tx.$executeRaw`
    update "Project" set
      "usedVcpu" = "usedVcpu" + ${d.vcpu},
      "usedMemoryMb" = "usedMemoryMb" + ${d.memoryMb},
      "usedMonthlyCents" = "usedMonthlyCents" + ${d.monthlyCents},
      "updatedAt" = now()
    where id = ${projectId}::uuid
      and "usedVcpu" + ${d.vcpu} <= "quotaVcpu"
      and "usedMemoryMb" + ${d.memoryMb} <= "quotaMemoryMb"
      and ("monthlyBudgetCents" is null or "usedMonthlyCents" + ${d.monthlyCents} <= "monthlyBudgetCents")`;
  return n === 1;
}

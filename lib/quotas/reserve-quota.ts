// Atomic quota reservation: one conditional UPDATE on the project row. Concurrent
// reservations serialise on the row lock and each re-evaluates the WHERE clause against the
// committed usage, so no interleaving can take a project over any of its limits.
import "server-only";
import type { Tx } from "../db/client";
import { notFound } from "../errors";
import { exceededResources, quotaImpact, type Demand, type OfferingSize } from "./impact";
import { quotaExceeded } from "./quota-error";

/**
 * Adds `demand` to the project's usage if every limit still holds (a disk tier or the budget
 * is only checked when the request uses it). Otherwise throws QUOTA_EXCEEDED naming the
 * resources and changes nothing.
 */
export async function reserveQuota(tx: Tx, projectId: string, demand: Demand, offering: OfferingSize, quantity: number): Promise<void> {
  const updated = await tx.$executeRaw`
    update "Project" set
      "usedVcpu" = "usedVcpu" + ${demand.vcpu},
      "usedMemoryMb" = "usedMemoryMb" + ${demand.memoryMb},
      "usedDiskSsdGb" = "usedDiskSsdGb" + ${demand.diskSsdGb},
      "usedDiskHddGb" = "usedDiskHddGb" + ${demand.diskHddGb},
      "usedMachines" = "usedMachines" + ${demand.machines},
      "usedMonthlyCents" = "usedMonthlyCents" + ${demand.monthlyCents},
      "updatedAt" = now()
    where id = ${projectId}::uuid
      and "usedVcpu" + ${demand.vcpu} <= "quotaVcpu"
      and "usedMemoryMb" + ${demand.memoryMb} <= "quotaMemoryMb"
      and (${demand.diskSsdGb}::int = 0 or "usedDiskSsdGb" + ${demand.diskSsdGb} <= "quotaDiskSsdGb")
      and (${demand.diskHddGb}::int = 0 or "usedDiskHddGb" + ${demand.diskHddGb} <= "quotaDiskHddGb")
      and "usedMachines" + ${demand.machines} <= "quotaMachines"
      and ("monthlyBudgetCents" is null or "usedMonthlyCents" + ${demand.monthlyCents} <= "monthlyBudgetCents")`;
  if (updated === 1) return;
  // Say which limits: read the usage the UPDATE saw (committed by the transactions before us).
  const project = await tx.project.findUnique({ where: { id: projectId } });
  if (!project) throw notFound("Project");
  const resources = exceededResources(quotaImpact(project, offering, quantity, demand.monthlyCents));
  // A limit can only be missed because of one of these; name all if the row changed again.
  throw quotaExceeded(resources.length ? resources : ["vcpu", "memory", offering.diskTier === "SSD" ? "diskSsd" : "diskHdd", "machines", "budget"]);
}

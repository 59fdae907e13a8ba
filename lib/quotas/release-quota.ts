// Gives quota back when a machine is deleted or its provision failed (worker side), or when
// an approval is undone. Never lets usage go below zero.
import "server-only";
import type { Tx } from "../db/client";
import type { Demand } from "./impact";

export async function releaseQuota(tx: Tx, projectId: string, demand: Demand): Promise<void> {
  await tx.$executeRaw`
    update "Project" set
      "usedVcpu" = greatest(0, "usedVcpu" - ${demand.vcpu}),
      "usedMemoryMb" = greatest(0, "usedMemoryMb" - ${demand.memoryMb}),
      "usedDiskSsdGb" = greatest(0, "usedDiskSsdGb" - ${demand.diskSsdGb}),
      "usedDiskHddGb" = greatest(0, "usedDiskHddGb" - ${demand.diskHddGb}),
      "usedMachines" = greatest(0, "usedMachines" - ${demand.machines}),
      "usedMonthlyCents" = greatest(0, "usedMonthlyCents" - ${demand.monthlyCents}),
      "updatedAt" = now()
    where id = ${projectId}::uuid`;
}

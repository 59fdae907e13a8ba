// Quota arithmetic shared by the request form (live preview), the approval page and the
// services (which re-check it on the server). Pure: no database, safe in client bundles.
import type { DiskTier } from "../generated/prisma/enums";

export interface ProjectQuota {
  quotaVcpu: number;
  quotaMemoryMb: number;
  quotaDiskSsdGb: number;
  quotaDiskHddGb: number;
  quotaMachines: number;
  monthlyBudgetCents: number | null;
  usedVcpu: number;
  usedMemoryMb: number;
  usedDiskSsdGb: number;
  usedDiskHddGb: number;
  usedMachines: number;
  usedMonthlyCents: number;
}

export interface OfferingSize {
  vcpu: number;
  memoryMb: number;
  diskGb: number;
  diskTier: DiskTier;
  monthlyPriceCents: number;
}

export type QuotaResource = "vcpu" | "memory" | "diskSsd" | "diskHdd" | "machines" | "budget";

/** What a request takes from its project's quota. */
export interface Demand {
  vcpu: number;
  memoryMb: number;
  diskSsdGb: number;
  diskHddGb: number;
  machines: number;
  monthlyCents: number;
}

export interface ImpactLine {
  resource: QuotaResource;
  /** Unit of the numbers: count, MiB, GB or cents. */
  unit: "count" | "mib" | "gb" | "cents";
  used: number;
  adding: number;
  /** null: no limit (a project without a monthly budget). */
  limit: number | null;
  over: boolean;
}

export function monthlyCost(offering: Pick<OfferingSize, "monthlyPriceCents">, quantity: number): number {
  return offering.monthlyPriceCents * quantity;
}

/** `costCents` defaults to today's price; a submitted request passes the cost fixed then. */
export function demandOf(offering: OfferingSize, quantity: number, costCents = monthlyCost(offering, quantity)): Demand {
  const disk = offering.diskGb * quantity;
  return {
    vcpu: offering.vcpu * quantity,
    memoryMb: offering.memoryMb * quantity,
    diskSsdGb: offering.diskTier === "SSD" ? disk : 0,
    diskHddGb: offering.diskTier === "HDD" ? disk : 0,
    machines: quantity,
    monthlyCents: costCents,
  };
}

const line = (resource: QuotaResource, unit: ImpactLine["unit"], used: number, adding: number, limit: number | null): ImpactLine => ({
  resource,
  unit,
  used,
  adding,
  limit,
  over: limit !== null && used + adding > limit,
});

/**
 * The project's usage with this request added, resource by resource: vCPU, memory, disk of
 * the offering's tier, machines, and the monthly budget (limit null when the project has none).
 */
export function quotaImpact(project: ProjectQuota, offering: OfferingSize, quantity: number, costCents?: number): ImpactLine[] {
  const d = demandOf(offering, quantity, costCents);
  const lines = [
    line("vcpu", "count", project.usedVcpu, d.vcpu, project.quotaVcpu),
    line("memory", "mib", project.usedMemoryMb, d.memoryMb, project.quotaMemoryMb),
    offering.diskTier === "SSD"
      ? line("diskSsd", "gb", project.usedDiskSsdGb, d.diskSsdGb, project.quotaDiskSsdGb)
      : line("diskHdd", "gb", project.usedDiskHddGb, d.diskHddGb, project.quotaDiskHddGb),
    line("machines", "count", project.usedMachines, d.machines, project.quotaMachines),
    line("budget", "cents", project.usedMonthlyCents, d.monthlyCents, project.monthlyBudgetCents),
  ];
  return lines;
}

/** The resources a request would take over their limit (empty: it fits). */
export function exceededResources(lines: readonly ImpactLine[]): QuotaResource[] {
  return lines.filter((l) => l.over).map((l) => l.resource);
}

/** Whether a request of this cost is approved without an approver (strictly below the threshold). */
export function isAutoApproved(autoApproveBelowCents: number | null, costCents: number): boolean {
  return autoApproveBelowCents !== null && costCents < autoApproveBelowCents;
}

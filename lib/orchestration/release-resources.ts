// Gives a machine's project quota and host capacity back, exactly once: when its provision
// failed (NO_CAPACITY or a driver error) or when it is deleted. Machine.releasedAt is set by a
// conditional update, so a failed machine that is later deleted, or a retried job, never
// releases twice.
import type { Tx } from "../db/client";
import { demandOf } from "../quotas/impact";
import { releaseQuota } from "../quotas/release-quota";
import { hostDemand, releaseOnHost } from "./host-capacity";

/** The monthly cost this machine holds in its project's budget. */
export function machineMonthlyCents(
  machine: { offeringId: string },
  offering: { monthlyPriceCents: number },
  request: { offeringId: string; monthlyCostCents: number; quantity: number } | null,
): number {
  // The approval reserved the cost fixed at submission; give back the same share.
  if (request && request.offeringId === machine.offeringId && request.quantity > 0) {
    return Math.round(request.monthlyCostCents / request.quantity);
  }
  return offering.monthlyPriceCents;
}

export async function releaseMachineResources(tx: Tx, machineId: string, now: Date): Promise<boolean> {
  const claimed = await tx.machine.updateMany({ where: { id: machineId, releasedAt: null }, data: { releasedAt: now } });
  if (claimed.count !== 1) return false;
  const m = await tx.machine.findUniqueOrThrow({
    where: { id: machineId },
    include: { offering: true, request: { select: { offeringId: true, monthlyCostCents: true, quantity: true } } },
  });
  if (m.hostId) await releaseOnHost(tx, m.hostId, hostDemand(m.offering));
  await releaseQuota(tx, m.projectId, demandOf(m.offering, 1, machineMonthlyCents(m, m.offering, m.request)));
  return true;
}

// Gives a machine's project quota and host capacity back, exactly once: when its provision
// failed (NO_CAPACITY or a driver error) or when it is deleted. Machine.releasedAt is set by a
// conditional update, so a failed machine that is later deleted, or a retried job, never
// releases twice. What is released is what the machine stored when it reserved (vcpu,
// memoryMb, diskGb, diskTier, monthlyCents), never the offering as it is today.
import type { Tx } from "../db/client";
import type { Demand } from "../quotas/impact";
import { releaseQuota } from "../quotas/release-quota";
import type { Reservation } from "../machines/reservation";
import { hostDemand, releaseOnHost } from "./host-capacity";

/** What one machine's reservation takes from its project's quota. */
export const quotaDemandOf = (r: Reservation): Demand => ({
  vcpu: r.vcpu,
  memoryMb: r.memoryMb,
  diskSsdGb: r.diskTier === "SSD" ? r.diskGb : 0,
  diskHddGb: r.diskTier === "HDD" ? r.diskGb : 0,
  machines: 1,
  monthlyCents: r.monthlyCents,
});

export async function releaseMachineResources(tx: Tx, machineId: string, now: Date): Promise<boolean> {
  const claimed = await tx.machine.updateManyAndReturn({ where: { id: machineId, releasedAt: null }, data: { releasedAt: now } });
  const m = claimed[0];
  if (!m) return false;
  if (m.hostId) await releaseOnHost(tx, m.hostId, hostDemand(m));
  await releaseQuota(tx, m.projectId, quotaDemandOf(m));
  return true;
}

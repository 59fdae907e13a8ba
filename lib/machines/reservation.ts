// What a machine reserves: stored on the machine at approval (and changed by a resize only),
// so quota and host capacity are released with exactly the numbers that were reserved,
// whatever happens to the offering afterwards.
import type { DiskTier } from "../generated/prisma/enums";

export interface Reservation {
  vcpu: number;
  memoryMb: number;
  diskGb: number;
  diskTier: DiskTier;
  /** Monthly cost held in the project's budget. */
  monthlyCents: number;
}

/** The reservation of one machine of `offering`, costing `monthlyCents` (default: its list price). */
export function reservationOf(
  offering: { vcpu: number; memoryMb: number; diskGb: number; diskTier: DiskTier; monthlyPriceCents: number },
  monthlyCents: number = offering.monthlyPriceCents,
): Reservation {
  return { vcpu: offering.vcpu, memoryMb: offering.memoryMb, diskGb: offering.diskGb, diskTier: offering.diskTier, monthlyCents };
}

/** The stored reservation of a machine row. */
export const reservationFromMachine = (m: Reservation): Reservation => ({
  vcpu: m.vcpu,
  memoryMb: m.memoryMb,
  diskGb: m.diskGb,
  diskTier: m.diskTier,
  monthlyCents: m.monthlyCents,
});

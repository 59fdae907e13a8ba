// What an offering looks like in the audit log (domain fields only, no timestamps).
import type { Offering } from "../generated/prisma/client";

export const offeringSnapshot = (o: Offering) => ({
  id: o.id,
  name: o.name,
  description: o.description,
  vcpu: o.vcpu,
  memoryMb: o.memoryMb,
  diskGb: o.diskGb,
  diskTier: o.diskTier,
  monthlyPriceCents: o.monthlyPriceCents,
  active: o.active,
});

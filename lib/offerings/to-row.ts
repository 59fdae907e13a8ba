// Converts validated form fields (GiB, currency units) into the stored row (MiB, cents).
import type { OfferingFields } from "./schemas";
import { gibToMib, parseMoneyToCents } from "./units";

export function offeringRowData(input: OfferingFields) {
  return {
    name: input.name.trim(),
    description: input.description.trim(),
    vcpu: input.vcpu,
    memoryMb: gibToMib(input.memoryGib),
    diskGb: input.diskGb,
    diskTier: input.diskTier,
    // The schema already refused anything the parser refuses.
    monthlyPriceCents: parseMoneyToCents(input.monthlyPrice)!,
  };
}

// Converts validated form fields (GiB, currency units, "" = none) into the stored row.
import { gibToMib, parseMoneyToCents } from "../offerings/units";
import type { ProjectFields } from "./schemas";
import { DAY2_ACTIONS } from "./schemas";

const optionalCents = (s: string) => (s.trim() === "" ? null : parseMoneyToCents(s));

export function projectRowData(input: ProjectFields) {
  return {
    name: input.name.trim(),
    slug: input.slug.trim(),
    description: input.description.trim(),
    quotaVcpu: input.quotaVcpu,
    quotaMemoryMb: gibToMib(input.quotaMemoryGib),
    quotaDiskSsdGb: input.quotaDiskSsdGb,
    quotaDiskHddGb: input.quotaDiskHddGb,
    quotaMachines: input.quotaMachines,
    monthlyBudgetCents: optionalCents(input.monthlyBudget),
    autoApproveBelowCents: optionalCents(input.autoApproveBelow),
    maxLeaseDays: input.maxLeaseDays,
    leaseGraceDays: input.leaseGraceDays,
    // Stored in a stable order, without duplicates, so audit diffs show real changes only.
    disabledActions: DAY2_ACTIONS.filter((a) => input.disabledActions.includes(a)),
    ...(input.timeZone ? { timeZone: input.timeZone } : {}),
  };
}

// What a project looks like in the audit log: its settings (usage counters change on every
// approval and are not settings, so they stay out).
import type { Project } from "../generated/prisma/client";

export const projectSnapshot = (p: Project) => ({
  id: p.id,
  name: p.name,
  slug: p.slug,
  description: p.description,
  quotaVcpu: p.quotaVcpu,
  quotaMemoryMb: p.quotaMemoryMb,
  quotaDiskSsdGb: p.quotaDiskSsdGb,
  quotaDiskHddGb: p.quotaDiskHddGb,
  quotaMachines: p.quotaMachines,
  monthlyBudgetCents: p.monthlyBudgetCents,
  autoApproveBelowCents: p.autoApproveBelowCents,
  maxLeaseDays: p.maxLeaseDays,
  leaseGraceDays: p.leaseGraceDays,
  disabledActions: p.disabledActions,
  timeZone: p.timeZone,
  archived: p.archived,
});

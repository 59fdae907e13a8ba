import "server-only";
import type { Ctx } from "../context";
import type { CsvCell } from "../csv/csv";
import { assertCan } from "../auth/permissions";
import { listProjectPage } from "./list-project-page";
import type { ListProjectPageInput } from "./schemas";

/** Rows an export may hold: past this, narrow the search and export again. */
export const PROJECT_EXPORT_MAX_ROWS = 50_000;

export const PROJECT_CSV_HEADER = [
  "id",
  "name",
  "slug",
  "status",
  "members",
  "used_vcpu",
  "quota_vcpu",
  "used_memory_mb",
  "quota_memory_mb",
  "used_disk_ssd_gb",
  "quota_disk_ssd_gb",
  "used_disk_hdd_gb",
  "quota_disk_hdd_gb",
  "used_machines",
  "quota_machines",
  "used_monthly_cents",
  "monthly_budget_cents",
];

/** The projects list (administrators) as CSV rows, with the list's search and order, in keyset pages. */
export function exportProjects(ctx: Ctx, input: ListProjectPageInput): () => AsyncGenerator<CsvCell[]> {
  // Before the first byte: a refusal answers 403, not a CSV with only a header.
  assertCan(ctx.actor, "project.manage");
  return async function* rows() {
    let cursor: string | undefined;
    let sent = 0;
    do {
      const page = await listProjectPage(ctx, { ...input, cursor }, 200);
      for (const p of page.items) {
        yield [
          p.id,
          p.name,
          p.slug,
          p.archived ? "ARCHIVED" : "ACTIVE",
          p.memberCount,
          p.usedVcpu,
          p.quotaVcpu,
          p.usedMemoryMb,
          p.quotaMemoryMb,
          p.usedDiskSsdGb,
          p.quotaDiskSsdGb,
          p.usedDiskHddGb,
          p.quotaDiskHddGb,
          p.usedMachines,
          p.quotaMachines,
          p.usedMonthlyCents,
          p.monthlyBudgetCents,
        ];
        if (++sent >= PROJECT_EXPORT_MAX_ROWS) return;
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  };
}

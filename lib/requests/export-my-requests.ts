import "server-only";
import type { Ctx } from "../context";
import type { CsvCell } from "../csv/csv";
import { listMyRequests } from "./list-my-requests";
import type { ListMyRequestsInput } from "./schemas";

/** Rows an export may hold: past this, narrow the filters and export again. */
export const REQUEST_EXPORT_MAX_ROWS = 50_000;

export const REQUEST_CSV_HEADER = ["number", "status", "submitted_at", "project", "offering", "template", "quantity", "machine_names", "monthly_cents", "lease_ends_at", "decided_at", "decided_by", "auto_approved", "reason"];

/**
 * The signed-in user's requests as CSV rows, with the list's filters and order, read in keyset
 * pages while the download streams (only the actor's own requests, as on the page).
 */
export function exportMyRequests(ctx: Ctx, input: ListMyRequestsInput): () => AsyncGenerator<CsvCell[]> {
  return async function* rows() {
    let cursor: string | undefined;
    let sent = 0;
    do {
      const page = await listMyRequests(ctx, { ...input, page: 1, cursor });
      for (const r of page.items) {
        yield [r.number, r.status, r.createdAt, r.project.name, r.offering.name, r.template.name, r.quantity, r.names.join(" "), r.monthlyCostCents, r.leaseEndsAt, r.decidedAt, r.decidedBy?.name ?? null, r.autoApproved, r.decisionReason];
        if (++sent >= REQUEST_EXPORT_MAX_ROWS) return;
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  };
}

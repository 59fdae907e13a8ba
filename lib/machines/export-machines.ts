import "server-only";
import type { Ctx } from "../context";
import type { CsvCell } from "../csv/csv";
import { listMachines } from "./list-machines";
import type { ListMachinesInput } from "./schemas";

/** Rows an export may hold: past this, narrow the filters and export again. */
export const MACHINE_EXPORT_MAX_ROWS = 50_000;

export const MACHINE_CSV_HEADER = ["id", "name", "state", "project", "offering", "template", "provider", "host", "ip_address", "monthly_cents", "lease_ends_at"];

/**
 * The machines list as CSV rows, with the list's filters and order, read in keyset pages while
 * the download streams: the rows the actor can see (the list's own visibility rule), nothing more.
 */
export function exportMachines(ctx: Ctx, input: ListMachinesInput): () => AsyncGenerator<CsvCell[]> {
  return async function* rows() {
    let cursor: string | undefined;
    let sent = 0;
    do {
      const page = await listMachines(ctx, { ...input, page: 1, cursor }, { withProjects: false });
      for (const m of page.items) {
        yield [m.id, m.name, m.state, m.projectName, m.offeringName, m.templateName, m.providerName, m.hostName, m.ipAddress, m.monthlyCents, m.leaseEndsAt];
        if (++sent >= MACHINE_EXPORT_MAX_ROWS) return;
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  };
}

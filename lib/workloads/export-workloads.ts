import "server-only";
import type { Ctx } from "../context";
import type { CsvCell } from "../csv/csv";
import { listWorkloads } from "./get-workload";
import type { ListWorkloadsInput } from "./schemas";

/** Rows an export may hold: past this, narrow the filters and export again. */
export const WORKLOAD_EXPORT_MAX_ROWS = 50_000;

export const WORKLOAD_CSV_HEADER = ["id", "name", "state", "project", "owner", "image", "replicas", "running", "ready", "offering", "provider", "vcpu", "memory_mb", "monthly_cents", "created_at"];

/**
 * The workloads list as CSV rows, with the list's filters and order, read in keyset pages while
 * the download streams: the workloads the actor can see (the list's own visibility rule). Never
 * environment values or secrets.
 */
export function exportWorkloads(ctx: Ctx, input: ListWorkloadsInput): () => AsyncGenerator<CsvCell[]> {
  return async function* rows() {
    let cursor: string | undefined;
    let sent = 0;
    do {
      const page = await listWorkloads(ctx, { ...input, cursor }, { pageSize: 200, withProjects: false });
      for (const w of page.items) {
        yield [w.id, w.name, w.state, w.projectName, w.ownerEmail, w.image, w.replicas, w.running, w.ready, w.offeringName, w.providerName, w.vcpu, w.memoryMb, w.monthlyCents, w.createdAt];
        if (++sent >= WORKLOAD_EXPORT_MAX_ROWS) return;
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  };
}

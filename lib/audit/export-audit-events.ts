import "server-only";
import type { Ctx } from "../context";
import type { CsvCell } from "../csv/csv";
import { assertCan } from "../auth/permissions";
import { parseInput } from "../offerings/parse-input";
import { listAuditEvents } from "./list-audit-events";
import { auditFilterSchema, type AuditFilter } from "./schemas";

/** Rows an export may hold: past this, narrow the filter (the dates) and export again. */
export const AUDIT_EXPORT_MAX_ROWS = 100_000;

export const AUDIT_CSV_HEADER = ["time", "actor", "action", "target_type", "target_id", "target_name", "project_id", "project", "correlation_id", "before", "after"];

/**
 * The filtered audit log as CSV rows, newest first, read in keyset pages of 200 while the
 * download streams (administrators only, checked before the first byte).
 */
export function exportAuditEvents(ctx: Ctx, input: AuditFilter): () => AsyncGenerator<CsvCell[]> {
  assertCan(ctx.actor, "audit.read");
  const f = parseInput(auditFilterSchema, { ...input, after: undefined, before: undefined, limit: undefined });
  return async function* rows() {
    let after: string | undefined;
    let sent = 0;
    while (sent < AUDIT_EXPORT_MAX_ROWS) {
      const page = await listAuditEvents(ctx, { ...f, after, limit: 200 });
      for (const e of page.events) {
        yield [e.at, e.actorEmail ?? "system", e.action, e.targetType, e.targetId, e.targetName, e.projectId, e.projectName, e.correlationId, json(e.before), json(e.after)];
        if (++sent >= AUDIT_EXPORT_MAX_ROWS) return;
      }
      if (!page.olderCursor) return;
      after = page.olderCursor;
    }
  };
}

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

// The audit log as CSV, with the filters of /admin/audit (session-authenticated, admins only).
import { auditFilterSchema } from "@/lib/audit/schemas";
import { AUDIT_CSV_HEADER, exportAuditEvents } from "@/lib/audit/export-audit-events";
import { csvRoute } from "@/lib/csv/csv-route";
import { queryOf } from "@/lib/machines/json-route";

export const dynamic = "force-dynamic";

export function GET(req: Request) {
  return csvRoute(auditFilterSchema, queryOf(req.url), { name: "audit", header: AUDIT_CSV_HEADER }, exportAuditEvents);
}

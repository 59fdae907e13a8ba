import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";

/**
 * The distinct actions and target types in the log (for the filter selects) and the projects.
 * A loose index scan (recursive CTE hopping through the btree) reads one index entry per
 * distinct value instead of scanning 100k+ rows.
 */
export async function listAuditFilterOptions(ctx: Ctx) {
  assertCan(ctx.actor, "audit.read");
  const [actions, targetTypes, projects] = await Promise.all([
    ctx.db.$queryRaw<{ v: string }[]>`
      WITH RECURSIVE d(v) AS (
        SELECT min(action) FROM "AuditEvent"
        UNION ALL
        SELECT (SELECT min(action) FROM "AuditEvent" WHERE action > d.v) FROM d WHERE d.v IS NOT NULL
      ) SELECT v FROM d WHERE v IS NOT NULL`,
    ctx.db.$queryRaw<{ v: string }[]>`
      WITH RECURSIVE d(v) AS (
        SELECT min("targetType") FROM "AuditEvent"
        UNION ALL
        SELECT (SELECT min("targetType") FROM "AuditEvent" WHERE "targetType" > d.v) FROM d WHERE d.v IS NOT NULL
      ) SELECT v FROM d WHERE v IS NOT NULL`,
    ctx.db.project.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, archived: true } }),
  ]);
  return { actions: actions.map((r) => r.v), targetTypes: targetTypes.map((r) => r.v), projects };
}

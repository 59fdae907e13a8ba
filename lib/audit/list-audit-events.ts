import "server-only";
import type { Ctx } from "../context";
import type { Prisma } from "../db/client";
import { assertCan } from "../auth/permissions";
import { parseInput } from "../offerings/parse-input";
import { auditFilterSchema, decodeCursor, encodeCursor, type AuditFilter } from "./schemas";
import { zonedDayEnd, zonedDayStart } from "./time-range";

export const AUDIT_PAGE_SIZE = 50;

export interface AuditEventRow {
  id: string;
  at: Date;
  actorEmail: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  projectId: string | null;
  projectName: string | null;
  before: unknown;
  after: unknown;
  correlationId: string | null;
}

export interface AuditPage {
  events: AuditEventRow[];
  /** Cursor for the next (older) page, or null on the last one. */
  olderCursor: string | null;
  /** Cursor for the previous (newer) page, or null on the first one. */
  newerCursor: string | null;
}

/**
 * The audit log, newest first, filtered, with keyset pagination on (at, id): every page costs
 * the same however deep it is (the at/action/actor/project indexes serve the order), unlike
 * OFFSET, which reads and drops every row before the page.
 */
export async function listAuditEvents(ctx: Ctx, input: AuditFilter, opts: { timeZone?: string } = {}): Promise<AuditPage> {
  assertCan(ctx.actor, "audit.read");
  const f = parseInput(auditFilterSchema, input);
  const timeZone = opts.timeZone ?? process.env.ORQ_TIME_ZONE ?? "UTC";
  const limit = f.limit ?? AUDIT_PAGE_SIZE;

  const and: Prisma.AuditEventWhereInput[] = [];
  if (f.actor) {
    // Through the user (indexed actorId); e-mails of deleted users and "system" by the stored text.
    const user = await ctx.db.user.findFirst({ where: { email: { equals: f.actor, mode: "insensitive" } }, select: { id: true } });
    and.push(user ? { actorId: user.id } : { actorEmail: { equals: f.actor, mode: "insensitive" } });
  }
  if (f.action) and.push({ action: f.action });
  if (f.targetType) and.push({ targetType: f.targetType });
  if (f.projectId) and.push({ projectId: f.projectId });
  if (f.from) and.push({ at: { gte: zonedDayStart(f.from, timeZone) } });
  if (f.to) and.push({ at: { lt: zonedDayEnd(f.to, timeZone) } });

  const backwards = !f.after && !!f.before;
  const cursor = f.after ?? f.before;
  if (cursor) {
    const c = decodeCursor(cursor);
    and.push(
      backwards
        ? { at: { gte: c.at }, OR: [{ at: { gt: c.at } }, { id: { gt: c.id } }] }
        : { at: { lte: c.at }, OR: [{ at: { lt: c.at } }, { id: { lt: c.id } }] },
    );
  }

  const dir = backwards ? "asc" : "desc";
  const rows = await ctx.db.auditEvent.findMany({
    where: { AND: and },
    orderBy: [{ at: dir }, { id: dir }],
    take: limit + 1,
  });
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (backwards) page.reverse();

  const projectIds = [...new Set(page.map((r) => r.projectId).filter((x): x is string => !!x))];
  const projects = projectIds.length
    ? await ctx.db.project.findMany({ where: { id: { in: projectIds } }, select: { id: true, name: true } })
    : [];
  const nameOf = new Map(projects.map((p) => [p.id, p.name]));

  const first = page[0];
  const last = page[page.length - 1];
  return {
    events: page.map((r) => ({
      id: r.id.toString(),
      at: r.at,
      actorEmail: r.actorEmail,
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      projectId: r.projectId,
      projectName: r.projectId ? (nameOf.get(r.projectId) ?? null) : null,
      before: r.before,
      after: r.after,
      correlationId: r.correlationId,
    })),
    olderCursor: last && (backwards ? !!cursor : more) ? encodeCursor(last.at, last.id) : null,
    newerCursor: first && (backwards ? more : !!cursor) ? encodeCursor(first.at, first.id) : null,
  };
}

import "server-only";
import type { Ctx } from "../context";
import type { Prisma } from "../db/client";
import { assertCan } from "../auth/permissions";
import { parseInput } from "../offerings/parse-input";
import { auditFilterSchema, decodeCursor, encodeCursor, type AuditFilter } from "./schemas";
import { zonedDayEnd, zonedDayStart } from "./time-range";
import { equalsText } from "../db/like";

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
  /** The target's name as it is now (null when it is gone or its type has no name). */
  targetName: string | null;
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
    const user = await ctx.db.user.findFirst({ where: { email: equalsText(f.actor) }, select: { id: true } });
    and.push(user ? { actorId: user.id } : { actorEmail: equalsText(f.actor) });
  }
  if (f.action) and.push({ action: f.action });
  if (f.targetType) and.push({ targetType: f.targetType });
  if (f.targetId) and.push({ targetId: f.targetId });
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

  const targetNames = await targetNamesOf(ctx, page);

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
      targetName: r.targetId ? (targetNames.get(`${r.targetType}:${r.targetId}`) ?? null) : null,
      before: r.before,
      after: r.after,
      correlationId: r.correlationId,
    })),
    olderCursor: last && (backwards ? !!cursor : more) ? encodeCursor(last.at, last.id) : null,
    newerCursor: first && (backwards ? more : !!cursor) ? encodeCursor(first.at, first.id) : null,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Names of the targets on one page ("Machine:<id>" -> "web-1"), one query per target type
 * present, so the log reads "web-1" instead of a UUID. Rows of deleted things keep no name.
 */
async function targetNamesOf(ctx: Ctx, rows: { targetType: string; targetId: string | null }[]): Promise<Map<string, string>> {
  const ids = new Map<string, string[]>();
  for (const r of rows) if (r.targetId && UUID.test(r.targetId)) ids.set(r.targetType, [...new Set([...(ids.get(r.targetType) ?? []), r.targetId])]);
  const out = new Map<string, string>();
  const put = (type: string, list: { id: string; name: string }[]) => list.forEach((x) => out.set(`${type}:${x.id}`, x.name));
  const db = ctx.db;
  const byType: Record<string, (in_: string[]) => Promise<{ id: string; name: string }[]>> = {
    Machine: (i) => db.machine.findMany({ where: { id: { in: i } }, select: { id: true, name: true } }),
    Project: (i) => db.project.findMany({ where: { id: { in: i } }, select: { id: true, name: true } }),
    Offering: (i) => db.offering.findMany({ where: { id: { in: i } }, select: { id: true, name: true } }),
    Template: (i) => db.template.findMany({ where: { id: { in: i } }, select: { id: true, name: true } }),
    Provider: (i) => db.provider.findMany({ where: { id: { in: i } }, select: { id: true, name: true } }),
    Host: (i) => db.host.findMany({ where: { id: { in: i } }, select: { id: true, name: true } }),
    Group: (i) => db.group.findMany({ where: { id: { in: i } }, select: { id: true, name: true } }),
    Stack: (i) => db.stack.findMany({ where: { id: { in: i } }, select: { id: true, name: true } }),
    Workload: (i) => db.workload.findMany({ where: { id: { in: i } }, select: { id: true, name: true } }),
    User: async (i) => (await db.user.findMany({ where: { id: { in: i } }, select: { id: true, email: true } })).map((u) => ({ id: u.id, name: u.email })),
    SshKey: (i) => db.sshKey.findMany({ where: { id: { in: i } }, select: { id: true, name: true } }),
    ApiToken: (i) => db.apiToken.findMany({ where: { id: { in: i } }, select: { id: true, name: true } }),
    Schedule: (i) => db.schedule.findMany({ where: { id: { in: i } }, select: { id: true, name: true } }),
    ScalingGroup: (i) => db.scalingGroup.findMany({ where: { id: { in: i } }, select: { id: true, name: true } }),
    AlertRule: (i) => db.alertRule.findMany({ where: { id: { in: i } }, select: { id: true, name: true } }),
    BackupPolicy: (i) => db.backupPolicy.findMany({ where: { id: { in: i } }, select: { id: true, name: true } }),
    BackupTarget: (i) => db.backupTarget.findMany({ where: { id: { in: i } }, select: { id: true, name: true } }),
    // The workload reconciler's events say "workload" (lower case).
    workload: (i) => db.workload.findMany({ where: { id: { in: i } }, select: { id: true, name: true } }),
    Request: async (i) => (await db.request.findMany({ where: { id: { in: i } }, select: { id: true, number: true } })).map((r) => ({ id: r.id, name: `#${r.number}` })),
  };
  await Promise.all([...ids].map(async ([type, list]) => (byType[type] ? put(type, await byType[type](list)) : undefined)));
  return out;
}

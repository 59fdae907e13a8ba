import "server-only";
import type { Ctx } from "../context";
import type { Prisma } from "../db/client";
import { projectsWhere } from "../auth/permissions";
import { COUNT_CAP, decodeCursor, encodeCursor, pageCount, PAGE_SIZE, pageWindow } from "../pagination";
import type { ListMachinesInput } from "./schemas";
import { BUSY_STATES } from "./state-machine";
import type { MachineList } from "./views";

/**
 * Machines of the projects the actor may read (every project for administrators), newest
 * first, filtered by project, state and a name search. Deleted machines show only when
 * asked for by state.
 */
export async function listMachines(ctx: Ctx, input: ListMachinesInput, opts: { withProjects?: boolean } = {}): Promise<MachineList> {
  const readable = projectsWhere(ctx.actor, "machine.read");
  const projectIds = input.projectId ? (readable === null || readable.includes(input.projectId) ? [input.projectId] : []) : readable;
  const where: Prisma.MachineWhereInput = {
    ...(projectIds === null ? {} : { projectId: { in: projectIds } }),
    state: input.state ?? { not: "DELETED" },
    ...(input.q ? { name: { contains: input.q, mode: "insensitive" } } : {}),
  };
  const page = input.page ?? 1;
  // Keyset when a cursor is given (the redundant `createdAt <=` bound lets the index
  // (createdAt DESC, id) start at the cursor instead of filtering every newer row).
  const cursor = decodeCursor(input.cursor);
  const keyset: Prisma.MachineWhereInput | null = cursor
    ? { AND: [where, { createdAt: { lte: cursor.createdAt } }, { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { gt: cursor.id } }] }] }
    : null;
  const [projects, counted, rows] = await Promise.all([
    // The filter's choices (every project for an administrator): pages only, not the API.
    opts.withProjects === false
      ? Promise.resolve([])
      : ctx.db.project.findMany({
          where: readable === null ? {} : { id: { in: readable } },
          orderBy: { name: "asc" },
          select: { id: true, name: true },
        }),
    // A capped count: at most COUNT_CAP + 1 index entries read, never the whole table.
    // (count over a LIMITed subquery, in the database: no row reaches this process).
    ctx.db.machine.count({ where, take: COUNT_CAP + 1 }),
    ctx.db.machine.findMany({
      where: keyset ?? where,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      ...(keyset ? { take: PAGE_SIZE + 1 } : { skip: pageWindow(page).skip, take: PAGE_SIZE + 1 }),
      include: {
        project: { select: { name: true } },
        offering: { select: { name: true } },
        template: { select: { name: true } },
        provider: { select: { name: true } },
        host: { select: { name: true } },
        operations: {
          where: { status: { in: ["QUEUED", "RUNNING"] } },
          orderBy: { createdAt: "asc" },
          take: 1,
          select: { id: true, kind: true, status: true, progress: true },
        },
      },
    }),
  ]);
  const more = rows.length > PAGE_SIZE;
  const shown = more ? rows.slice(0, PAGE_SIZE) : rows;
  const last = shown.at(-1);
  const totalCapped = counted > COUNT_CAP;
  const total = Math.min(counted, COUNT_CAP);
  const items = shown.map((m) => ({
    id: m.id,
    name: m.name,
    state: m.state,
    projectId: m.projectId,
    projectName: m.project.name,
    offeringName: m.offering.name,
    templateName: m.template.name,
    providerName: m.provider?.name ?? null,
    hostName: m.host?.name ?? null,
    ipAddress: m.ipAddress,
    leaseEndsAt: m.leaseEndsAt?.toISOString() ?? null,
    currentOperation: m.operations[0] ?? null,
    updatedAt: m.updatedAt.toISOString(),
  }));
  return {
    items,
    total,
    totalCapped,
    page: keyset ? 0 : page,
    pageCount: pageCount(total),
    nextCursor: more && last ? encodeCursor(last.createdAt, last.id) : null,
    projects,
    busy: items.some((m) => BUSY_STATES.includes(m.state) || m.currentOperation !== null),
  };
}

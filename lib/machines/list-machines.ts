import "server-only";
import type { Ctx } from "../context";
import type { Prisma } from "../db/client";
import { projectsWhere } from "../auth/permissions";
import { COUNT_CAP, decodeKeyCursor, encodeKeyCursor, pageCount, PAGE_SIZE, pageWindow, type SortDir } from "../pagination";
import { MachineState } from "../generated/prisma/enums";
import type { ListMachinesInput, MachineSort } from "./schemas";
import { BUSY_STATES } from "./state-machine";
import type { MachineList } from "./views";

/**
 * Machines of the projects the actor may read (every project for administrators), newest
 * first or sorted by name, state or monthly cost, filtered by project, state, provider and a
 * search (name contains, or IP address starts with). Deleted machines show only when asked
 * for by state. Every sort is (key, id) with the id in the opposite direction, so each one is
 * one index scan (Machine indexes (name, id DESC), (state, id DESC), (monthlyCents, id DESC),
 * (createdAt DESC, id)) and keyset pages continue from (key, id) of the last row.
 */
export async function listMachines(ctx: Ctx, input: ListMachinesInput, opts: { withProjects?: boolean } = {}): Promise<MachineList> {
  const readable = projectsWhere(ctx.actor, "machine.read");
  const projectIds = input.projectId ? (readable === null || readable.includes(input.projectId) ? [input.projectId] : []) : readable;
  const where: Prisma.MachineWhereInput = {
    ...(projectIds === null ? {} : { projectId: { in: projectIds } }),
    state: input.state ?? { not: "DELETED" },
    ...(input.providerId ? { providerId: input.providerId } : {}),
    ...(input.q ? { OR: [{ name: { contains: input.q, mode: "insensitive" } }, { ipAddress: { startsWith: input.q } }] } : {}),
  };
  const sort: MachineSort = input.sort ?? "created";
  const dir: SortDir = input.dir ?? (sort === "created" ? "desc" : "asc");
  const tie: SortDir = dir === "asc" ? "desc" : "asc";
  const page = input.page ?? 1;
  // Keyset when a cursor is given: rows after (key, id) of the last one shown.
  const cursor = decodeKeyCursor(input.cursor);
  const after = cursor ? keysetAfter(sort, dir, tie, cursor) : null;
  const keyset: Prisma.MachineWhereInput | null = after ? { AND: [where, after] } : null;
  const [projects, providers, counted, rows] = await Promise.all([
    // The filter's choices (every project for an administrator): pages only, not the API.
    opts.withProjects === false
      ? Promise.resolve([])
      : ctx.db.project.findMany({
          where: readable === null ? {} : { id: { in: readable } },
          orderBy: { name: "asc" },
          select: { id: true, name: true },
        }),
    opts.withProjects === false
      ? Promise.resolve([])
      : ctx.db.provider.findMany({
          where: readable === null ? {} : { machines: { some: { projectId: { in: readable }, state: { not: "DELETED" } } } },
          orderBy: { name: "asc" },
          select: { id: true, name: true },
        }),
    // A capped count: at most COUNT_CAP + 1 index entries read, never the whole table.
    // (count over a LIMITed subquery, in the database: no row reaches this process).
    ctx.db.machine.count({ where, take: COUNT_CAP + 1 }),
    ctx.db.machine.findMany({
      where: keyset ?? where,
      orderBy: [{ [SORT_COLUMN[sort]]: dir }, { id: tie }],
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
    monthlyCents: m.monthlyCents,
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
    nextCursor: more && last ? encodeKeyCursor(sortValue(sort, last), last.id) : null,
    projects,
    providers,
    busy: items.some((m) => BUSY_STATES.includes(m.state) || m.currentOperation !== null),
  };
}

const SORT_COLUMN = { created: "createdAt", name: "name", state: "state", cost: "monthlyCents" } as const satisfies Record<MachineSort, keyof Prisma.MachineOrderByWithRelationInput>;
const STATES = Object.values(MachineState);

function sortValue(sort: MachineSort, m: { createdAt: Date; name: string; state: MachineState; monthlyCents: number }): string | number {
  if (sort === "created") return m.createdAt.toISOString();
  if (sort === "name") return m.name;
  if (sort === "state") return m.state;
  return m.monthlyCents;
}

/**
 * The rows after (v, id) in the order (key dir, id tie). A cursor whose value does not fit the
 * sort (from another sort, or forged) answers null: the list starts over at its first page.
 */
function keysetAfter(sort: MachineSort, dir: SortDir, tie: SortDir, c: { value: string | number | null; id: string }): Prisma.MachineWhereInput | null {
  const idAfter = { id: tie === "asc" ? { gt: c.id } : { lt: c.id } };
  const op = dir === "asc" ? "gt" : "lt";
  if (sort === "state") {
    // Enums order by declaration; Prisma compares them only by equality, so "after" is a set.
    const i = STATES.indexOf(c.value as MachineState);
    if (i < 0) return null;
    const later = dir === "asc" ? STATES.slice(i + 1) : STATES.slice(0, i);
    return { OR: [{ state: { in: later } }, { state: STATES[i], ...idAfter }] };
  }
  if (sort === "cost") {
    if (typeof c.value !== "number" || !Number.isInteger(c.value)) return null;
    return { OR: [{ monthlyCents: { [op]: c.value } }, { monthlyCents: c.value, ...idAfter }] };
  }
  if (typeof c.value !== "string") return null;
  if (sort === "name") return { OR: [{ name: { [op]: c.value } }, { name: c.value, ...idAfter }] };
  const at = new Date(c.value);
  if (Number.isNaN(at.getTime())) return null;
  // The redundant bound lets the (createdAt DESC, id) index start at the cursor.
  return { AND: [{ createdAt: dir === "desc" ? { lte: at } : { gte: at } }, { OR: [{ createdAt: { [op]: at } }, { createdAt: at, ...idAfter }] }] };
}

import "server-only";
import type { Ctx } from "../context";
import { projectsWhere } from "../auth/permissions";
import { COUNT_CAP, decodeKeyCursor, encodeKeyCursor, pageCount, PAGE_SIZE, pageWindow, type SortDir } from "../pagination";
import { machinePage } from "./machine-page";
import type { ListMachinesInput, MachineSort } from "./schemas";
import { BUSY_STATES } from "./state-machine";
import type { MachineList, MachineListItem } from "./views";

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
  const sort: MachineSort = input.sort ?? "created";
  const dir: SortDir = input.dir ?? (sort === "created" ? "desc" : "asc");
  const page = input.page ?? 1;
  const filter = { projectIds, state: input.state, providerId: input.providerId, q: input.q, sort, dir, skip: pageWindow(page).skip };
  // Keyset when a cursor is given: rows after (key, id) of the last one shown.
  const cursor = decodeKeyCursor(input.cursor);
  const [projects, providers, found] = await Promise.all([
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
    // The page with its names and current operation, and the capped count: one statement.
    machinePage(ctx.db, { ...filter, after: cursor }),
  ]);
  const { counted, rows, keyset } = found;
  const more = rows.length > PAGE_SIZE;
  const shown = more ? rows.slice(0, PAGE_SIZE) : rows;
  const last = shown.at(-1);
  const totalCapped = counted > COUNT_CAP;
  const total = Math.min(counted, COUNT_CAP);
  const items: MachineListItem[] = shown.map(({ sortValue: _, ...m }) => m);
  return {
    items,
    total,
    totalCapped,
    page: keyset ? 0 : page,
    pageCount: pageCount(total),
    nextCursor: more && last ? encodeKeyCursor(last.sortValue, last.id) : null,
    projects,
    providers,
    busy: items.some((m) => BUSY_STATES.includes(m.state) || m.currentOperation !== null),
  };
}

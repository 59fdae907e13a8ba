// The administrators' project list, one keyset page at a time: searched (name or slug contains,
// wildcards literal), sorted by name, machines in use or member count, or by default active
// before archived then by name; ties by id in the same direction, so (key..., id) is a total
// order and a page continues after the (key..., id) of the previous page's last row.
import "server-only";
import type { Ctx } from "../context";
import { Prisma } from "../db/client";
import { escapeLike } from "../db/like";
import { assertCan } from "../auth/permissions";
import { decodeKeyCursor, encodeKeyCursor, PAGE_SIZE, type SortDir } from "../pagination";
import type { ListProjectPageInput, ProjectSort } from "./schemas";

type Sort = ProjectSort | "default";

interface KeyRow {
  id: string;
  name: string;
  archived: boolean;
  usedMachines: number;
  members: number;
}

export async function listProjectPage(ctx: Ctx, input: ListProjectPageInput, pageSize = PAGE_SIZE) {
  assertCan(ctx.actor, "project.manage");
  const sort: Sort = input.sort ?? "default";
  const dir: SortDir = input.dir ?? (sort === "default" || sort === "name" ? "asc" : "desc");
  const q = input.q?.trim();
  const filters: Prisma.Sql[] = [];
  if (q) {
    const pattern = `%${escapeLike(q)}%`;
    filters.push(Prisma.sql`(p.name ILIKE ${pattern} ESCAPE '\\' OR p.slug ILIKE ${pattern} ESCAPE '\\')`);
  }
  const after = projectsAfter(sort, dir, input.cursor);
  if (after) filters.push(after);
  const where = filters.length ? Prisma.sql`WHERE ${Prisma.join(filters, " AND ")}` : Prisma.empty;
  const d = Prisma.raw(dir === "asc" ? "ASC" : "DESC");
  const order =
    sort === "default"
      ? Prisma.sql`p.archived ${d}, p.name ${d}, p.id ${d}`
      : sort === "name"
        ? Prisma.sql`p.name ${d}, p.id ${d}`
        : sort === "machines"
          ? Prisma.sql`p."usedMachines" ${d}, p.id ${d}`
          : Prisma.sql`${MEMBERS} ${d}, p.id ${d}`;
  const keys = await ctx.db.$queryRaw<KeyRow[]>`
    SELECT p.id::text AS id, p.name, p.archived, p."usedMachines", ${MEMBERS} AS members
    FROM "Project" p ${where}
    ORDER BY ${order}
    LIMIT ${pageSize + 1}::int`;
  const more = keys.length > pageSize;
  const page = more ? keys.slice(0, pageSize) : keys;
  const rows = await ctx.db.project.findMany({
    where: { id: { in: page.map((k) => k.id) } },
    include: { _count: { select: { members: true, requests: true, machines: true } } },
  });
  const byId = new Map(rows.map(({ _count, createdAt: _c, updatedAt: _u, ...p }) => [p.id, { ...p, memberCount: _count.members, hasHistory: _count.requests + _count.machines > 0 }]));
  const last = page.at(-1);
  return {
    items: page.flatMap((k) => byId.get(k.id) ?? []),
    nextCursor: more && last ? encodeKeyCursor(cursorValue(sort, last), last.id) : null,
    sort: input.sort ?? null,
    dir,
  };
}

const MEMBERS = Prisma.sql`(SELECT count(*)::int FROM "ProjectMember" pm WHERE pm."projectId" = p.id)`;

function cursorValue(sort: Sort, row: KeyRow): string | number {
  if (sort === "default") return `${row.archived ? 1 : 0}${row.name}`;
  if (sort === "name") return row.name;
  return sort === "machines" ? row.usedMachines : row.members;
}

/** Rows after the cursor's (key, id); null (start over) when the cursor does not fit the sort. */
function projectsAfter(sort: Sort, dir: SortDir, cursor: string | undefined): Prisma.Sql | null {
  const c = decodeKeyCursor(cursor);
  if (!c) return null;
  const op = Prisma.raw(dir === "asc" ? ">" : "<");
  const id = Prisma.sql`${c.id}::uuid`;
  if (sort === "default") {
    if (typeof c.value !== "string" || !/^[01]/.test(c.value)) return null;
    return Prisma.sql`(p.archived, p.name, p.id) ${op} (${c.value[0] === "1"}, ${c.value.slice(1)}, ${id})`;
  }
  if (sort === "name") return typeof c.value === "string" ? Prisma.sql`(p.name, p.id) ${op} (${c.value}, ${id})` : null;
  if (typeof c.value !== "number" || !Number.isInteger(c.value)) return null;
  return sort === "machines" ? Prisma.sql`(p."usedMachines", p.id) ${op} (${c.value}::int, ${id})` : Prisma.sql`(${MEMBERS}, p.id) ${op} (${c.value}::int, ${id})`;
}

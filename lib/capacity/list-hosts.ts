import "server-only";
import { containsText } from "../db/like";
import type { Ctx } from "../context";
import { Prisma } from "../db/client";
import type { HostState } from "../generated/prisma/enums";
import { assertCan } from "../auth/permissions";
import { pageCount, pageWindow } from "../pagination";
import { hostUsage, type HostUsage } from "./capacity-math";
import type { HostSort, ListHostsInput } from "./schemas";

export const HOSTS_PAGE_SIZE = 50;

export interface HostCapacityView {
  id: string;
  name: string;
  state: HostState;
  provider: { id: string; name: string; kind: string };
  machineCount: number;
  usage: HostUsage;
}

/** The order of each sort; the host id last, so pages never overlap. */
function orderOf(sort: HostSort, dir: "asc" | "desc"): Prisma.HostOrderByWithRelationInput[] {
  switch (sort) {
    case "name":
      return [{ name: dir }, { id: dir }];
    case "state":
      return [{ state: dir }, { name: "asc" }, { id: "asc" }];
    case "cpu":
      return [{ vcpuUsed: dir }, { name: "asc" }, { id: "asc" }];
    case "memory":
      return [{ memoryMbUsed: dir }, { name: "asc" }, { id: "asc" }];
    default:
      return [{ provider: { name: dir } }, { name: dir }, { id: dir }];
  }
}

/**
 * The ids of a page of hosts in the order (provider name, host name, id), the default sort.
 * Sorted through the join (as Prisma's orderBy on the relation sends it), PostgreSQL reads
 * and sorts the whole Host table to show 50 (135 ms at 10,000 hosts, BENCHMARKS.md "Pages
 * with a session"); provider names are unique, so the page is also the first rows of each
 * provider's hosts by (name, id), merged in provider order: per provider at most skip + 50
 * rows from the Host(providerId, name) index.
 */
async function hostsByProvider(ctx: Ctx, input: ListHostsInput, dir: "asc" | "desc", page: number): Promise<string[]> {
  const { skip, take } = pageWindow(page, HOSTS_PAGE_SIZE);
  const d = Prisma.raw(dir === "asc" ? "ASC" : "DESC");
  const filters = [Prisma.sql`h."providerId" = p.id`];
  if (input.state) filters.push(Prisma.sql`h.state = ${input.state}::"HostState"`);
  // As Prisma's `contains` (any case) sends it: % and _ in the text are LIKE's.
  if (input.q) filters.push(Prisma.sql`h.name ILIKE ${`%${input.q}%`}`);
  const rows = await ctx.db.$queryRaw<{ id: string }[]>`
    SELECT h.id FROM "Provider" p
    CROSS JOIN LATERAL (
      SELECT h.id, h.name FROM "Host" h WHERE ${Prisma.join(filters, " AND ")}
      ORDER BY h.name ${d}, h.id ${d} LIMIT ${skip + take}::int
    ) h
    ${input.providerId ? Prisma.sql`WHERE p.id = ${input.providerId}::uuid` : Prisma.empty}
    ORDER BY p.name ${d}, h.name ${d}, h.id ${d}
    LIMIT ${take}::int OFFSET ${skip}::int`;
  return rows.map((r) => r.id);
}

/**
 * Hosts with used/total capacity under their provider's ratios: filtered by provider, state
 * and name, sorted, one page. Machines are counted for the hosts of the page only (one grouped
 * query on Machine.hostId), never for the whole estate.
 */
export async function listHosts(ctx: Ctx, input: ListHostsInput) {
  assertCan(ctx.actor, "host.manage");
  const where: Prisma.HostWhereInput = {
    ...(input.providerId ? { providerId: input.providerId } : {}),
    ...(input.state ? { state: input.state } : {}),
    ...(input.q ? { name: containsText(input.q) } : {}),
  };
  const page = input.page ?? 1;
  const sort = input.sort ?? "provider";
  const dir = input.dir ?? "asc";
  const include = { provider: { select: { id: true, name: true, kind: true, cpuOvercommit: true, memoryOvercommit: true, diskOvercommit: true } } };
  const [total, rows, providers] = await Promise.all([
    ctx.db.host.count({ where }),
    sort === "provider"
      ? hostsByProvider(ctx, input, dir, page).then(async (ids) => {
          const found = await ctx.db.host.findMany({ where: { id: { in: ids } }, include });
          const byId = new Map(found.map((h) => [h.id, h]));
          return ids.flatMap((id) => byId.get(id) ?? []);
        })
      : ctx.db.host.findMany({ where, orderBy: orderOf(sort, dir), ...pageWindow(page, HOSTS_PAGE_SIZE), include }),
    ctx.db.provider.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
  ]);
  const counts = rows.length
    ? await ctx.db.machine.groupBy({ by: ["hostId"], where: { hostId: { in: rows.map((h) => h.id) }, state: { not: "DELETED" } }, _count: { _all: true } })
    : [];
  const countOf = new Map(counts.map((c) => [c.hostId, c._count._all]));
  const items: HostCapacityView[] = rows.map((h) => ({
    id: h.id,
    name: h.name,
    state: h.state,
    provider: { id: h.provider.id, name: h.provider.name, kind: h.provider.kind },
    machineCount: countOf.get(h.id) ?? 0,
    usage: hostUsage(h, h.provider),
  }));
  return { items, total, page, pageCount: pageCount(total, HOSTS_PAGE_SIZE), providers };
}

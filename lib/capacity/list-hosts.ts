import "server-only";
import { containsText } from "../db/like";
import type { Ctx } from "../context";
import type { Prisma } from "../db/client";
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
  const [total, rows, providers] = await Promise.all([
    ctx.db.host.count({ where }),
    ctx.db.host.findMany({
      where,
      orderBy: orderOf(input.sort ?? "provider", input.dir ?? "asc"),
      ...pageWindow(page, HOSTS_PAGE_SIZE),
      include: { provider: { select: { id: true, name: true, kind: true, cpuOvercommit: true, memoryOvercommit: true, diskOvercommit: true } } },
    }),
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

import "server-only";
import type { Ctx } from "../context";
import type { Prisma } from "../db/client";
import type { HostState } from "../generated/prisma/enums";
import { assertCan } from "../auth/permissions";
import { pageCount, pageWindow } from "../pagination";
import { hostUsage, type HostUsage } from "./capacity-math";
import type { ListHostsInput } from "./schemas";

export const HOSTS_PAGE_SIZE = 50;

export interface HostCapacityView {
  id: string;
  name: string;
  state: HostState;
  provider: { id: string; name: string; kind: string };
  machineCount: number;
  usage: HostUsage;
}

/** Hosts with used/total capacity under their provider's ratios, filtered by provider and state. */
export async function listHosts(ctx: Ctx, input: ListHostsInput) {
  assertCan(ctx.actor, "host.manage");
  const where: Prisma.HostWhereInput = {
    ...(input.providerId ? { providerId: input.providerId } : {}),
    ...(input.state ? { state: input.state } : {}),
  };
  const page = input.page ?? 1;
  const [total, rows, providers] = await Promise.all([
    ctx.db.host.count({ where }),
    ctx.db.host.findMany({
      where,
      orderBy: [{ provider: { name: "asc" } }, { name: "asc" }],
      ...pageWindow(page, HOSTS_PAGE_SIZE),
      include: {
        provider: { select: { id: true, name: true, kind: true, cpuOvercommit: true, memoryOvercommit: true, diskOvercommit: true } },
        _count: { select: { machines: { where: { state: { not: "DELETED" } } } } },
      },
    }),
    ctx.db.provider.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
  ]);
  const items: HostCapacityView[] = rows.map((h) => ({
    id: h.id,
    name: h.name,
    state: h.state,
    provider: { id: h.provider.id, name: h.provider.name, kind: h.provider.kind },
    machineCount: h._count.machines,
    usage: hostUsage(h, h.provider),
  }));
  return { items, total, page, pageCount: pageCount(total, HOSTS_PAGE_SIZE), providers };
}

import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";

export interface OfferingListItem {
  id: string;
  name: string;
  description: string;
  vcpu: number;
  memoryMb: number;
  diskGb: number;
  diskTier: "SSD" | "HDD";
  monthlyPriceCents: number;
  active: boolean;
  /** Machines on this offering that are not deleted. */
  machineCount: number;
  /** Referenced by any request or machine (then it can only be deactivated). */
  inUse: boolean;
}

/** Every offering, active and inactive, for administrators. */
export async function listOfferings(ctx: Ctx): Promise<OfferingListItem[]> {
  assertCan(ctx.actor, "offering.manage");
  const rows = await ctx.db.offering.findMany({
    orderBy: [{ active: "desc" }, { name: "asc" }],
    include: {
      _count: {
        select: {
          requests: true,
          machines: true,
        },
      },
    },
  });
  const live = await ctx.db.machine.groupBy({
    by: ["offeringId"],
    where: { state: { not: "DELETED" } },
    _count: { _all: true },
  });
  const liveBy = new Map(live.map((g) => [g.offeringId, g._count._all]));
  return rows.map(({ _count, createdAt: _c, updatedAt: _u, ...o }) => ({
    ...o,
    machineCount: liveBy.get(o.id) ?? 0,
    inUse: _count.requests + _count.machines > 0,
  }));
}

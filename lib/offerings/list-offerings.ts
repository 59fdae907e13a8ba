import "server-only";
import { containsText } from "../db/like";
import type { Ctx } from "../context";
import type { Prisma } from "../db/client";
import { assertCan } from "../auth/permissions";
import type { SortDir } from "../pagination";

export const OFFERING_SORTS = ["name", "vcpu", "memory", "disk", "price", "machines"] as const;
export type OfferingSort = (typeof OFFERING_SORTS)[number];

export interface ListOfferingsInput {
  /** Name or description contains (any case). */
  q?: string;
  tier?: "SSD" | "HDD";
  /** Published (active) or retired (inactive) only. */
  status?: "active" | "inactive";
  sort?: OfferingSort;
  dir?: SortDir;
}

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

const column: Record<Exclude<OfferingSort, "machines">, keyof Prisma.OfferingOrderByWithRelationInput> = {
  name: "name",
  vcpu: "vcpu",
  memory: "memoryMb",
  disk: "diskGb",
  price: "monthlyPriceCents",
};

/**
 * Every offering, active and inactive, for administrators; optionally searched (name or
 * description), filtered by disk tier and status, and sorted (ties by name; names are unique).
 * Catalogues are small (tens to hundreds): no paging.
 */
export async function listOfferings(ctx: Ctx, input: ListOfferingsInput = {}): Promise<OfferingListItem[]> {
  assertCan(ctx.actor, "offering.manage");
  const q = input.q?.trim();
  const dir = input.dir ?? (!input.sort || input.sort === "name" ? "asc" : "desc");
  const rows = await ctx.db.offering.findMany({
    where: {
      ...(q ? { OR: [{ name: containsText(q) }, { description: containsText(q) }] } : {}),
      ...(input.tier ? { diskTier: input.tier } : {}),
      ...(input.status ? { active: input.status === "active" } : {}),
    },
    orderBy:
      !input.sort || input.sort === "machines"
        ? [{ active: "desc" }, { name: "asc" }]
        : input.sort === "name"
          ? [{ name: dir }]
          : [{ [column[input.sort]]: dir }, { name: "asc" }],
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
  const items = rows.map(({ _count, createdAt: _c, updatedAt: _u, ...o }) => ({
    ...o,
    machineCount: liveBy.get(o.id) ?? 0,
    inUse: _count.requests + _count.machines > 0,
  }));
  // Live machines are counted apart (grouped): that sort happens here, stable over the names.
  if (input.sort === "machines") {
    const sign = dir === "asc" ? 1 : -1;
    items.sort((a, b) => sign * (a.machineCount - b.machineCount) || a.name.localeCompare(b.name));
  }
  return items;
}

// The catalogue: active offerings, filtered by disk tier and minimum size.
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { env } from "../env";
import type { Prisma } from "../generated/prisma/client";
import type { CatalogFilter } from "./schemas";

export async function listOfferings(ctx: Ctx, filter: CatalogFilter) {
  assertCan(ctx.actor, "catalog.read");
  const where: Prisma.OfferingWhereInput = {
    active: true,
    ...(filter.tier ? { diskTier: filter.tier } : {}),
    ...(filter.minVcpu ? { vcpu: { gte: filter.minVcpu } } : {}),
    ...(filter.minMemoryGb ? { memoryMb: { gte: filter.minMemoryGb * 1024 } } : {}),
  };
  const offerings = await ctx.db.offering.findMany({
    where,
    orderBy: [{ diskTier: "asc" }, { monthlyPriceCents: "asc" }, { name: "asc" }],
    select: { id: true, name: true, description: true, vcpu: true, memoryMb: true, diskGb: true, diskTier: true, monthlyPriceCents: true },
  });
  return { offerings, currency: env().ORQ_CURRENCY };
}
export type CatalogOffering = Awaited<ReturnType<typeof listOfferings>>["offerings"][number];

import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";

/** Simulator providers with their injected faults (administrators only). */
export async function listSimFaults(ctx: Ctx) {
  assertCan(ctx.actor, "provider.manage");
  const providers = await ctx.db.provider.findMany({ where: { kind: "SIMULATOR" }, orderBy: { name: "asc" }, select: { id: true, name: true } });
  const faults = await ctx.db.simFault.findMany({
    where: { providerId: { in: providers.map((p) => p.id) } },
    orderBy: { createdAt: "desc" },
  });
  return providers.map((p) => ({ ...p, faults: faults.filter((f) => f.providerId === p.id) }));
}

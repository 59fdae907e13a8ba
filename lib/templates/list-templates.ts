import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";

/** Every template, active and inactive, with usage and how many providers can serve it. */
export async function listTemplates(ctx: Ctx) {
  assertCan(ctx.actor, "template.manage");
  const rows = await ctx.db.template.findMany({
    orderBy: [{ active: "desc" }, { name: "asc" }],
    include: { _count: { select: { requests: true, machines: true, providerRefs: true } } },
  });
  const live = await ctx.db.machine.groupBy({ by: ["templateId"], where: { state: { not: "DELETED" } }, _count: { _all: true } });
  const liveBy = new Map(live.map((g) => [g.templateId, g._count._all]));
  return rows.map(({ _count, createdAt: _c, updatedAt: _u, ...t }) => ({
    ...t,
    machineCount: liveBy.get(t.id) ?? 0,
    providerCount: _count.providerRefs,
    inUse: _count.requests + _count.machines > 0,
  }));
}

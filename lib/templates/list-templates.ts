import "server-only";
import { containsText } from "../db/like";
import type { Ctx } from "../context";
import type { Prisma } from "../db/client";
import { assertCan } from "../auth/permissions";
import type { SortDir } from "../pagination";

export const TEMPLATE_SORTS = ["name", "family", "os", "minDisk", "machines"] as const;
export type TemplateSort = (typeof TEMPLATE_SORTS)[number];

export interface ListTemplatesInput {
  /** Name, OS name or description contains (any case). */
  q?: string;
  osFamily?: "LINUX" | "WINDOWS";
  /** Published (active) or retired (inactive) only. */
  status?: "active" | "inactive";
  sort?: TemplateSort;
  dir?: SortDir;
}

/**
 * Every template, active and inactive, with usage and how many providers can serve it;
 * optionally searched, filtered by OS family and status, and sorted (ties by name). Catalogues are
 * small (tens to hundreds): no paging.
 */
export async function listTemplates(ctx: Ctx, input: ListTemplatesInput = {}) {
  assertCan(ctx.actor, "template.manage");
  const q = input.q?.trim();
  const dir = input.dir ?? (input.sort === "minDisk" || input.sort === "machines" ? "desc" : "asc");
  const orderBy: Prisma.TemplateOrderByWithRelationInput[] =
    !input.sort || input.sort === "machines"
      ? [{ active: "desc" }, { name: "asc" }]
      : input.sort === "name"
        ? [{ name: dir }]
        : input.sort === "family"
          ? [{ osFamily: dir }, { name: "asc" }]
          : input.sort === "os"
            ? [{ osName: dir }, { osVersion: dir }, { name: "asc" }]
            : [{ minDiskGb: dir }, { name: "asc" }];
  const rows = await ctx.db.template.findMany({
    where: {
      ...(q
        ? { OR: [{ name: containsText(q) }, { osName: containsText(q) }, { description: containsText(q) }] }
        : {}),
      ...(input.osFamily ? { osFamily: input.osFamily } : {}),
      ...(input.status ? { active: input.status === "active" } : {}),
    },
    orderBy,
    include: { _count: { select: { requests: true, machines: true, providerRefs: true } } },
  });
  const live = await ctx.db.machine.groupBy({ by: ["templateId"], where: { state: { not: "DELETED" } }, _count: { _all: true } });
  const liveBy = new Map(live.map((g) => [g.templateId, g._count._all]));
  const items = rows.map(({ _count, createdAt: _c, updatedAt: _u, ...t }) => ({
    ...t,
    machineCount: liveBy.get(t.id) ?? 0,
    providerCount: _count.providerRefs,
    inUse: _count.requests + _count.machines > 0,
  }));
  // Live machines are counted apart (grouped): that sort happens here, ties by name.
  if (input.sort === "machines") {
    const sign = dir === "asc" ? 1 : -1;
    items.sort((a, b) => sign * (a.machineCount - b.machineCount) || a.name.localeCompare(b.name));
  }
  return items;
}

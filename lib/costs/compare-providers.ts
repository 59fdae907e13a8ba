// The price comparison at order time: what `quantity` machines of an offering cost per month
// on every provider that can serve them (offers the template, not switched off), cheapest
// first, with whether the provider has room for all of them now, and, for a project, which
// providers it may use (its allow-list, lib/orchestration/provider-scope.ts), which one
// placement would pick (its default provider first, then its policy's order) and whether the
// caller may target one (placement PROVIDER).
import "server-only";
import type { Ctx } from "../context";
import { assertCan, can } from "../auth/permissions";
import { notFound } from "../errors";
import { env } from "../env";
import type { ProjectPlacementPolicy, ProviderKind, ProviderStatus } from "../generated/prisma/enums";
import { listAt, millicentsToCents, monthlyCostOf, type MachineSize } from "./pricing";
import { loadPriceCatalog } from "./price-lists";
import { isPublicCloud, preferenceOf, sortByPrice } from "./placement-policy";
import { loadProjectProviders } from "../orchestration/provider-scope";
import type { CompareProvidersInput } from "./schemas";
import type { Db, Tx } from "../db/client";

/**
 * AVAILABLE: room for every machine now; PARTIAL: for some; FULL: for none; NO_DISK_TIER: no
 * active host with the offering's disk tier; UNAVAILABLE: the provider is not reachable.
 */
export type Availability = "AVAILABLE" | "PARTIAL" | "FULL" | "NO_DISK_TIER" | "UNAVAILABLE";
/** Why a provider has no price: no price book (or none in force yet), or no instance type big enough. */
export type Unpriced = "NO_PRICE_BOOK" | "NO_INSTANCE_TYPE";

export interface ComparisonRow {
  providerId: string;
  name: string;
  kind: ProviderKind;
  cloud: "private" | "public";
  status: ProviderStatus;
  /** Cents per month for one machine, and for all of them (null: unpriced). */
  perMachineCents: number | null;
  totalCents: number | null;
  computeCents: number | null;
  storageCents: number | null;
  instanceType: string | null;
  unpriced: Unpriced | null;
  /** The price book is the provider's own or its kind's default. */
  priceScope: "provider" | "kind" | null;
  availability: Availability;
  /** Machines of this size its active hosts can take now. */
  fits: number;
  /** The project may use this provider (its allow-list; none listed: every provider). */
  allowed: boolean;
  /** The requester may target it on the form (placement PROVIDER). */
  selectable: boolean;
  /** The provider the project's policy would pick now. */
  recommended: boolean;
}

export interface Comparison {
  currency: string;
  quantity: number;
  offering: { id: string; name: string; vcpu: number; memoryMb: number; diskGb: number; diskTier: MachineSize["diskTier"]; monthlyPriceCents: number };
  project: {
    id: string;
    placementPolicy: ProjectPlacementPolicy;
    providerChoice: boolean;
    defaultProviderId: string | null;
    /** The caller may target one provider (providerChoice, or an approver or administrator). */
    canChoose: boolean;
  } | null;
  rows: ComparisonRow[];
}

/** Machines of `need` the active hosts of each provider can take now (within overcommit). */
export async function capacityByProvider(db: Db | Tx, providerIds: string[], need: MachineSize): Promise<Map<string, { fits: number; tierHosts: number }>> {
  if (!providerIds.length) return new Map();
  const ssd = need.diskTier === "SSD";
  const rows = await db.$queryRaw<{ providerId: string; fits: bigint; tierHosts: bigint }[]>`
    with c as (
      select h."providerId",
        (case when ${ssd}::boolean then h."diskSsdGbTotal" else h."diskHddGbTotal" end) as dtotal,
        least(
          floor((floor(h."vcpuTotal" * p."cpuOvercommit") - h."vcpuUsed") / ${need.vcpu}::numeric),
          floor((floor(h."memoryMbTotal" * p."memoryOvercommit") - h."memoryMbUsed") / ${need.memoryMb}::numeric),
          floor((floor((case when ${ssd}::boolean then h."diskSsdGbTotal" else h."diskHddGbTotal" end) * p."diskOvercommit")
            - (case when ${ssd}::boolean then h."diskSsdGbUsed" else h."diskHddGbUsed" end)) / greatest(${need.diskGb}::numeric, 1))
        ) as n
      from "Host" h join "Provider" p on p.id = h."providerId"
      where h.state = 'ACTIVE' and h."providerId" = any(${providerIds}::uuid[])
    )
    select "providerId", coalesce(sum(greatest(n, 0)) filter (where dtotal > 0), 0)::bigint as fits,
      count(*) filter (where dtotal > 0)::bigint as "tierHosts"
    from c group by "providerId"`;
  return new Map(rows.map((r) => [r.providerId, { fits: Number(r.fits), tierHosts: Number(r.tierHosts) }]));
}

export async function compareProviders(ctx: Ctx, input: CompareProvidersInput): Promise<Comparison> {
  assertCan(ctx.actor, "catalog.read");
  const project = input.projectId
    ? can(ctx.actor, "project.read", input.projectId)
      ? await ctx.db.project.findUnique({ where: { id: input.projectId }, select: { id: true, placementPolicy: true, providerChoice: true } })
      : null
    : null;
  if (input.projectId && !project) throw notFound("Project");
  const offering = await ctx.db.offering.findFirst({
    where: { id: input.offeringId, active: true },
    select: { id: true, name: true, vcpu: true, memoryMb: true, diskGb: true, diskTier: true, monthlyPriceCents: true },
  });
  if (!offering) throw notFound("Offering");
  if (input.templateId && !(await ctx.db.template.findFirst({ where: { id: input.templateId, active: true }, select: { id: true } }))) throw notFound("Template");

  const providers = await ctx.db.provider.findMany({
    where: { status: { not: "DISABLED" }, ...(input.templateId ? { templateRefs: { some: { templateId: input.templateId } } } : {}) },
    select: { id: true, name: true, kind: true, status: true },
    orderBy: { name: "asc" },
  });
  const now = ctx.now();
  const size: MachineSize = offering;
  const [catalog, capacity] = await Promise.all([loadPriceCatalog(ctx.db), capacityByProvider(ctx.db, providers.map((p) => p.id), size)]);
  const q = input.quantity;

  const priced = providers.map((p) => {
    const applies = catalog.bookFor(p.id);
    const list = applies ? listAt(applies.book.lists, now) : null;
    const cost = list ? monthlyCostOf(list, size) : null;
    const cap = capacity.get(p.id) ?? { fits: 0, tierHosts: 0 };
    const availability: Availability =
      p.status !== "ACTIVE" ? "UNAVAILABLE" : cap.tierHosts === 0 ? "NO_DISK_TIER" : cap.fits >= q ? "AVAILABLE" : cap.fits > 0 ? "PARTIAL" : "FULL";
    return { p, cost, list, applies, cap, availability, monthly: cost ? cost.compute + cost.storage : null };
  });

  const policy = project?.placementPolicy ?? "CHEAPEST";
  const scope = project ? await loadProjectProviders(ctx.db, project.id) : null;
  const allowedOf = (id: string) => !scope || scope.allowedIds.length === 0 || scope.allowedIds.includes(id);
  const canChoose = Boolean(project) && (project!.providerChoice || can(ctx.actor, "request.approve", project!.id)) && can(ctx.actor, "request.create", project!.id);
  // What the policy picks now: its first provider with room for all the machines.
  // A public cloud whose list has no instance type this big cannot run the machine at all.
  const runs = (x: (typeof priced)[number]) => x.availability === "AVAILABLE" && !(x.list && !x.cost);
  const ready = priced.filter((x) => runs(x) && allowedOf(x.p.id));
  const preferred = scope?.defaultProviderId && ready.some((x) => x.p.id === scope.defaultProviderId) ? scope.defaultProviderId : null;
  const pref = preferenceOf(policy, ready.map((x) => ({ providerId: x.p.id, name: x.p.name, kind: x.p.kind, monthly: x.monthly })), { preferredProviderId: preferred });
  const recommended = pref.rank?.find((id) => ready.some((x) => x.p.id === id)) ?? null;

  const rows: ComparisonRow[] = sortByPrice(priced.map((x) => ({ ...x, providerId: x.p.id, name: x.p.name, kind: x.p.kind }))).map((x) => {
    const allowed = allowedOf(x.p.id);
    const total = x.monthly === null ? null : millicentsToCents(x.monthly * q);
    return {
      providerId: x.p.id,
      name: x.p.name,
      kind: x.p.kind,
      cloud: isPublicCloud(x.p.kind) ? "public" : "private",
      status: x.p.status,
      perMachineCents: x.monthly === null ? null : millicentsToCents(x.monthly),
      totalCents: total,
      computeCents: x.cost ? millicentsToCents(x.cost.compute * q) : null,
      storageCents: x.cost ? millicentsToCents(x.cost.storage * q) : null,
      instanceType: x.cost?.instanceType ?? null,
      unpriced: x.cost ? null : x.list ? "NO_INSTANCE_TYPE" : "NO_PRICE_BOOK",
      priceScope: x.applies?.scope ?? null,
      availability: x.availability,
      fits: x.cap.fits,
      allowed,
      selectable: canChoose && allowed && runs(x),
      recommended: x.p.id === recommended,
    };
  });
  return {
    currency: env().ORQ_CURRENCY,
    quantity: q,
    offering,
    project: project
      ? { id: project.id, placementPolicy: project.placementPolicy, providerChoice: project.providerChoice, defaultProviderId: scope?.defaultProviderId ?? null, canChoose }
      : null,
    rows,
  };
}

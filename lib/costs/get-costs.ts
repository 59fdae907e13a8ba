// Showback: the costs of one project, or of every project the actor can see (all of them for
// administrators), for one month: the total so far and the forecast, the daily curve, the
// twelve-month trend, and the breakdown by project, provider, offering or owner.
import "server-only";
import type { Ctx } from "../context";
import { can, projectsWhere } from "../auth/permissions";
import { notFound } from "../errors";
import { env } from "../env";
import type { ProviderKind } from "../generated/prisma/enums";
import { addMonths, costTimeZone, daysOf, localMonth } from "./calendar";
import { ledgerState, ledgerSums, type LedgerKey } from "./ledger-query";
import { millicentsToCents } from "./pricing";
import { projectSpend } from "./spend";
import type { CostGroup, CostsQuery } from "./schemas";

export interface CostAmount {
  computeCents: number;
  storageCents: number;
  totalCents: number;
  /** Exact amounts in millicents (1/1000 of a cent), for amounts below a cent. */
  computeMillicents: number;
  storageMillicents: number;
  totalMillicents: number;
}

export interface BreakdownRow extends CostAmount {
  id: string;
  label: string;
  /** Provider kind (group by provider), owner e-mail (group by owner). */
  detail: string | null;
  kind: ProviderKind | null;
  poweredHours: number;
  /** Share of the month's total, 0..1. */
  share: number;
}

export interface CostReport {
  currency: string;
  timeZone: string;
  month: string;
  isCurrentMonth: boolean;
  groupBy: CostGroup;
  project: { id: string; name: string; monthlyBudgetCents: number | null } | null;
  /** Projects the actor can choose in the filter. */
  projects: { id: string; name: string }[];
  canSeeAll: boolean;
  /** The ledger is complete up to here. */
  accruedUntil: string | null;
  total: CostAmount;
  /** The month's expected total (current month only). */
  forecast: { totalCents: number; totalMillicents: number; ratePerHourMillicents: number } | null;
  /** Budget of the project in scope (null: several projects, or none set). */
  budgetCents: number | null;
  daily: { day: string; totalCents: number; totalMillicents: number; cumulativeCents: number; cumulativeMillicents: number }[];
  trend: ({ month: string } & CostAmount)[];
  breakdown: BreakdownRow[];
}

const amount = (compute: number, storage: number): CostAmount => ({
  computeCents: millicentsToCents(compute),
  storageCents: millicentsToCents(storage),
  totalCents: millicentsToCents(compute + storage),
  computeMillicents: compute,
  storageMillicents: storage,
  totalMillicents: compute + storage,
});

const GROUP_KEY: Record<CostGroup, LedgerKey> = { project: "projectId", provider: "providerId", offering: "offeringId", owner: "ownerId" };

/** The projects in scope: one (checked), or all the actor may read costs of (null: every one). */
export async function costScope(ctx: Ctx, projectId: string | undefined) {
  if (projectId) {
    if (!can(ctx.actor, "cost.read", projectId)) throw notFound("Project");
    const project = await ctx.db.project.findUnique({ where: { id: projectId }, select: { id: true, name: true, monthlyBudgetCents: true } });
    if (!project) throw notFound("Project");
    return { project, projectIds: [project.id] as string[] | null };
  }
  return { project: null, projectIds: projectsWhere(ctx.actor, "cost.read") };
}

export async function getCosts(ctx: Ctx, input: CostsQuery): Promise<CostReport> {
  const timeZone = costTimeZone();
  const now = ctx.now();
  const currentMonth = localMonth(now, timeZone);
  const month = input.month ?? currentMonth;
  const groupBy = input.groupBy;
  const { project, projectIds } = await costScope(ctx, input.projectId);
  const allIds = projectsWhere(ctx.actor, "cost.read");
  const projects = await ctx.db.project.findMany({
    where: allIds === null ? {} : { id: { in: allIds } },
    orderBy: [{ archived: "asc" }, { name: "asc" }],
    select: { id: true, name: true },
  });

  const state = await ledgerState(ctx.db);
  const days = daysOf(month);
  const first = days[0];
  const last = days[days.length - 1];
  const q = { projectIds, timeZone, state };
  const [totals, byGroup, byDay, byMonth] = await Promise.all([
    ledgerSums(ctx.db, { ...q, fromDay: first, toDay: last, by: [] }),
    ledgerSums(ctx.db, { ...q, fromDay: first, toDay: last, by: [GROUP_KEY[groupBy]] }),
    ledgerSums(ctx.db, { ...q, fromDay: first, toDay: last, by: ["day"] }),
    ledgerSums(ctx.db, { ...q, fromDay: `${addMonths(month, -11)}-01`, toDay: last, by: ["month"] }),
  ]);
  const total = amount(totals[0]?.compute ?? 0, totals[0]?.storage ?? 0);

  const isCurrentMonth = month === currentMonth;
  let forecast: CostReport["forecast"] = null;
  if (isCurrentMonth) {
    const spend = await projectSpend(ctx.db, { projectIds, month, timeZone, now, state });
    let rate = 0;
    let expected = total.totalMillicents;
    for (const s of spend.byProject.values()) {
      rate += s.ratePerHour;
      expected += s.forecast - s.actual;
    }
    forecast = { totalCents: millicentsToCents(expected), totalMillicents: expected, ratePerHourMillicents: rate };
  }

  let cumulative = 0;
  const dayMap = new Map(byDay.map((d) => [d.keys.day!, d.compute + d.storage]));
  const daily = days.map((day) => {
    const v = dayMap.get(day) ?? 0;
    cumulative += v;
    return { day, totalCents: millicentsToCents(v), totalMillicents: v, cumulativeCents: millicentsToCents(cumulative), cumulativeMillicents: cumulative };
  });
  const monthMap = new Map(byMonth.map((m) => [m.keys.month!, m]));
  const trend = Array.from({ length: 12 }, (_, i) => addMonths(month, i - 11)).map((m) => {
    const s = monthMap.get(m);
    return { month: m, ...amount(s?.compute ?? 0, s?.storage ?? 0) };
  });

  const ids = byGroup.map((r) => r.keys[GROUP_KEY[groupBy]]!).filter(Boolean);
  const labels = await labelsFor(ctx, groupBy, ids);
  const breakdown: BreakdownRow[] = byGroup
    .map((r) => {
      const id = r.keys[GROUP_KEY[groupBy]]!;
      const l = labels.get(id);
      const a = amount(r.compute, r.storage);
      return {
        id,
        label: l?.label ?? id,
        detail: l?.detail ?? null,
        kind: l?.kind ?? null,
        poweredHours: r.poweredSeconds / 3600,
        share: total.totalMillicents > 0 ? a.totalMillicents / total.totalMillicents : 0,
        ...a,
      };
    })
    .sort((a, b) => b.totalMillicents - a.totalMillicents || a.label.localeCompare(b.label));

  return {
    currency: env().ORQ_CURRENCY,
    timeZone,
    month,
    isCurrentMonth,
    groupBy,
    project,
    projects,
    canSeeAll: allIds === null,
    accruedUntil: state.accruedUntil?.toISOString() ?? null,
    total,
    forecast,
    budgetCents: project?.monthlyBudgetCents ?? null,
    daily,
    trend,
    breakdown,
  };
}

/** Names of the groups (ids of things deleted since keep their id as label). */
export async function labelsFor(ctx: Pick<Ctx, "db">, group: CostGroup, ids: string[]) {
  const out = new Map<string, { label: string; detail: string | null; kind: ProviderKind | null }>();
  if (!ids.length) return out;
  switch (group) {
    case "project":
      for (const p of await ctx.db.project.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })) out.set(p.id, { label: p.name, detail: null, kind: null });
      break;
    case "provider":
      for (const p of await ctx.db.provider.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, kind: true } })) out.set(p.id, { label: p.name, detail: p.kind, kind: p.kind });
      break;
    case "offering":
      for (const o of await ctx.db.offering.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })) out.set(o.id, { label: o.name, detail: null, kind: null });
      break;
    case "owner":
      for (const u of await ctx.db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } })) out.set(u.id, { label: u.name, detail: u.email, kind: null });
      break;
  }
  return out;
}

// Month-to-date spend and the forecast for the month, per project: what the ledger holds for
// the month, plus the machines' current hourly rate (their meters: live, powered, size, under
// the price lists in force now) for the hours left in the month.
import type { Db, Tx } from "../db/client";
import type { DiskTier } from "../generated/prisma/enums";
import { HOURS_PER_MONTH, listAt, monthlyCostOf } from "./pricing";
import { loadPriceCatalog, type PriceCatalog } from "./price-lists";
import { daysOf, localMonth, monthEnd, monthStart } from "./calendar";
import { ledgerSums, ledgerState, type LedgerState } from "./ledger-query";

export interface ProjectSpend {
  /** Millicents accrued in the month so far (whole month for a past one). */
  actual: number;
  /** Millicents per hour the project's machines cost now. */
  ratePerHour: number;
  /** actual + ratePerHour x the hours left in the month (= actual for a past month). */
  forecast: number;
}

type RateGroup = { projectId: string | null; providerId: string; powered: boolean; vcpu: number; memoryMb: number; diskGb: number; diskTier: DiskTier; n: number };

/**
 * The live meters counted in the database by everything their price depends on (provider,
 * powered, size, tier), per project or (`perProject` false) over all of them: the rows that
 * come back are price keys, not machines (reading every live meter, 95,000 at bench size, took
 * the admin dashboard to 1.5 s). Without a project filter and per-project split, the meters
 * are not even joined to their machines (a sequential scan and a small hash aggregate).
 */
async function rateGroups(db: Db | Tx, projectIds: string[] | null, perProject: boolean): Promise<RateGroup[]> {
  if (projectIds && projectIds.length === 0) return [];
  if (!perProject && projectIds === null)
    return db.$queryRaw<RateGroup[]>`
      select null as "projectId", "providerId", powered, vcpu, "memoryMb", "diskGb", "diskTier", count(*)::int as n
      from "CostMeter" where live and "providerId" is not null
      group by 2, 3, 4, 5, 6, 7`;
  return db.$queryRaw<RateGroup[]>`
    select case when ${perProject}::boolean then m."projectId" end as "projectId", c."providerId", c.powered, c.vcpu, c."memoryMb", c."diskGb", c."diskTier", count(*)::int as n
    from "CostMeter" c join "Machine" m on m.id = c."machineId"
    where c.live and c."providerId" is not null and (${projectIds}::uuid[] is null or m."projectId" = any(${projectIds}::uuid[]))
    group by 1, 2, 3, 4, 5, 6, 7`;
}

/** Millicents per hour of each group under the price lists in force at `at`, summed by project ("" when not split). */
function ratesOf(groups: RateGroup[], cat: PriceCatalog, at: Date): Map<string, number> {
  const rates = new Map<string, number>();
  for (const g of groups) {
    const list = listAt(cat.listsFor(g.providerId), at);
    const cost = list ? monthlyCostOf(list, g) : null;
    if (!cost) continue;
    const perHour = ((g.powered ? cost.compute : 0) + cost.storage) / HOURS_PER_MONTH;
    const key = g.projectId ?? "";
    rates.set(key, (rates.get(key) ?? 0) + perHour * g.n);
  }
  return rates;
}

/** The current hourly rate of each project's machines (millicents per hour). */
export async function currentRates(db: Db | Tx, projectIds: string[] | null, at: Date, catalog?: PriceCatalog): Promise<Map<string, number>> {
  const [cat, groups] = await Promise.all([catalog ?? loadPriceCatalog(db), rateGroups(db, projectIds, true)]);
  return ratesOf(groups, cat, at);
}

/** The current hourly rate of the machines of all these projects together (millicents per hour). */
export async function currentTotalRate(db: Db | Tx, projectIds: string[] | null, at: Date): Promise<number> {
  const [cat, groups] = await Promise.all([loadPriceCatalog(db), rateGroups(db, projectIds, false)]);
  return ratesOf(groups, cat, at).get("") ?? 0;
}

function isCurrentMonth(month: string, timeZone: string, now: Date): boolean {
  return monthStart(month, timeZone).getTime() <= now.getTime() && now.getTime() < monthEnd(month, timeZone).getTime();
}

/** The hours the forecast adds at the current rate: from where the ledger stops to the month's end (0 unless `now` is in the month). */
export function forecastHours(month: string, timeZone: string, now: Date, state: LedgerState): number {
  if (!isCurrentMonth(month, timeZone, now)) return 0;
  const from = Math.max(monthStart(month, timeZone).getTime(), state.accruedUntil?.getTime() ?? now.getTime());
  return Math.max(0, monthEnd(month, timeZone).getTime() - from) / 3_600_000;
}

export async function projectSpend(
  db: Db | Tx,
  q: { projectIds: string[] | null; month?: string; timeZone: string; now: Date; state?: LedgerState },
): Promise<{ month: string; byProject: Map<string, ProjectSpend>; state: LedgerState }> {
  const month = q.month ?? localMonth(q.now, q.timeZone);
  const state = q.state ?? (await ledgerState(db));
  const days = daysOf(month);
  const [sums, rates] = await Promise.all([
    ledgerSums(db, { fromDay: days[0], toDay: days[days.length - 1], projectIds: q.projectIds, timeZone: q.timeZone, by: ["projectId"], state }),
    currentRates(db, q.projectIds, q.now),
  ]);
  const current = isCurrentMonth(month, q.timeZone, q.now);
  const hoursLeft = forecastHours(month, q.timeZone, q.now, state);
  const byProject = new Map<string, ProjectSpend>();
  const sumOf = new Map(sums.map((s) => [s.keys.projectId!, s]));
  const ids = new Set([...sumOf.keys(), ...rates.keys()]);
  for (const id of ids) {
    const s = sumOf.get(id);
    const actual = s ? s.compute + s.storage : 0;
    const rate = current ? (rates.get(id) ?? 0) : 0;
    byProject.set(id, { actual, ratePerHour: rate, forecast: actual + rate * hoursLeft });
  }
  return { month, byProject, state };
}

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

/**
 * The current hourly rate of each project's machines (millicents per hour). The meters are
 * counted in the database by everything the price depends on (project, provider, powered,
 * size, tier): a catalogue has a handful of sizes, so a few rows per project come back instead
 * of one per live machine (95,000 at bench size took the admin dashboard to 1.5 s).
 */
export async function currentRates(db: Db | Tx, projectIds: string[] | null, at: Date, catalog?: PriceCatalog): Promise<Map<string, number>> {
  const cat = catalog ?? (await loadPriceCatalog(db));
  const groups = await db.$queryRaw<{ projectId: string; providerId: string; powered: boolean; vcpu: number; memoryMb: number; diskGb: number; diskTier: DiskTier; n: number }[]>`
    select m."projectId", c."providerId", c.powered, c.vcpu, c."memoryMb", c."diskGb", c."diskTier", count(*)::int as n
    from "CostMeter" c join "Machine" m on m.id = c."machineId"
    where c.live and c."providerId" is not null and (${projectIds}::uuid[] is null or m."projectId" = any(${projectIds}::uuid[]))
    group by 1, 2, 3, 4, 5, 6, 7`;
  const rates = new Map<string, number>();
  for (const g of groups) {
    const list = listAt(cat.listsFor(g.providerId), at);
    const cost = list ? monthlyCostOf(list, g) : null;
    if (!cost) continue;
    const perHour = ((g.powered ? cost.compute : 0) + cost.storage) / HOURS_PER_MONTH;
    rates.set(g.projectId, (rates.get(g.projectId) ?? 0) + perHour * g.n);
  }
  return rates;
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
  const start = monthStart(month, q.timeZone).getTime();
  const end = monthEnd(month, q.timeZone).getTime();
  // The forecast runs from where the ledger stops to the end of the month.
  const from = Math.max(start, state.accruedUntil?.getTime() ?? q.now.getTime());
  const hoursLeft = Math.max(0, end - from) / 3_600_000;
  const current = start <= q.now.getTime() && q.now.getTime() < end;
  const byProject = new Map<string, ProjectSpend>();
  const sumOf = new Map(sums.map((s) => [s.keys.projectId!, s]));
  const ids = new Set([...sumOf.keys(), ...rates.keys()]);
  for (const id of ids) {
    const s = sumOf.get(id);
    const actual = s ? s.compute + s.storage : 0;
    const rate = current ? (rates.get(id) ?? 0) : 0;
    byProject.set(id, { actual, ratePerHour: rate, forecast: actual + rate * (current ? hoursLeft : 0) });
  }
  return { month, byProject, state };
}

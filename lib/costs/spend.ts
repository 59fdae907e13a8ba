// Month-to-date spend and the forecast for the month, per project: what the ledger holds for
// the month, plus the machines' current hourly rate (their meters: live, powered, size, under
// the price lists in force now) for the hours left in the month.
import type { Db, Tx } from "../db/client";
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

/** The current hourly rate of each project's machines (millicents per hour). */
export async function currentRates(db: Db | Tx, projectIds: string[] | null, at: Date, catalog?: PriceCatalog): Promise<Map<string, number>> {
  const cat = catalog ?? (await loadPriceCatalog(db));
  const meters = await db.costMeter.findMany({
    where: { live: true, ...(projectIds ? { machine: { projectId: { in: projectIds } } } : {}) },
    select: { providerId: true, powered: true, vcpu: true, memoryMb: true, diskGb: true, diskTier: true, machine: { select: { projectId: true } } },
  });
  const rates = new Map<string, number>();
  for (const m of meters) {
    if (!m.providerId) continue;
    const list = listAt(cat.listsFor(m.providerId), at);
    const cost = list ? monthlyCostOf(list, m) : null;
    if (!cost) continue;
    const perHour = ((m.powered ? cost.compute : 0) + cost.storage) / HOURS_PER_MONTH;
    rates.set(m.machine.projectId, (rates.get(m.machine.projectId) ?? 0) + perHour);
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
  const ids = new Set([...sums.map((s) => s.keys.projectId!), ...rates.keys()]);
  for (const id of ids) {
    const s = sums.find((x) => x.keys.projectId === id);
    const actual = s ? s.compute + s.storage : 0;
    const rate = current ? (rates.get(id) ?? 0) : 0;
    byProject.set(id, { actual, ratePerHour: rate, forecast: actual + rate * (current ? hoursLeft : 0) });
  }
  return { month, byProject, state };
}

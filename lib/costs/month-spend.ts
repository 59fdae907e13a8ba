// This month's cost so far and its forecast, summed over some projects (the dashboard): totals
// only, so neither the ledger nor the meters are split by project (the administrator's
// dashboard covers every project: 1,000 at bench size).
import type { Db } from "../db/client";
import { costTimeZone, daysOf, localMonth } from "./calendar";
import { ledgerSums, ledgerState } from "./ledger-query";
import { currentTotalRate, forecastHours } from "./spend";

export async function monthSpend(db: Db, projectIds: string[] | null, now: Date): Promise<{ monthToDateMillicents: number; forecastMillicents: number }> {
  if (projectIds && projectIds.length === 0) return { monthToDateMillicents: 0, forecastMillicents: 0 };
  const timeZone = costTimeZone();
  const month = localMonth(now, timeZone);
  const days = daysOf(month);
  const state = await ledgerState(db);
  const [sums, rate] = await Promise.all([
    ledgerSums(db, { fromDay: days[0], toDay: days[days.length - 1], projectIds, timeZone, by: [], state }),
    currentTotalRate(db, projectIds, now),
  ]);
  const actual = sums.reduce((a, s) => a + s.compute + s.storage, 0);
  return { monthToDateMillicents: actual, forecastMillicents: actual + rate * forecastHours(month, timeZone, now, state) };
}

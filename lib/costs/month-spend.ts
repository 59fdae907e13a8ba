// This month's cost so far and its forecast, summed over some projects (the dashboard).
import type { Db } from "../db/client";
import { costTimeZone } from "./calendar";
import { projectSpend } from "./spend";

export async function monthSpend(db: Db, projectIds: string[] | null, now: Date): Promise<{ monthToDateMillicents: number; forecastMillicents: number }> {
  if (projectIds && projectIds.length === 0) return { monthToDateMillicents: 0, forecastMillicents: 0 };
  const { byProject } = await projectSpend(db, { projectIds, timeZone: costTimeZone(), now });
  let actual = 0;
  let forecast = 0;
  for (const s of byProject.values()) {
    actual += s.actual;
    forecast += s.forecast;
  }
  return { monthToDateMillicents: actual, forecastMillicents: forecast };
}

// Sums of the cost ledger over calendar days, grouped by any of day, month, project, provider,
// offering and owner: rolled-up days from CostDaily, the days since from the hourly rows.
import { Prisma, type Db, type Tx } from "../db/client";
import { addDays, dateValue, dayOfDateValue, dayStart } from "./calendar";

export type LedgerKey = "day" | "month" | "projectId" | "providerId" | "offeringId" | "ownerId";

const KEY_SQL: Record<LedgerKey, Prisma.Sql> = {
  day: Prisma.sql`to_char(day, 'YYYY-MM-DD')`,
  month: Prisma.sql`to_char(day, 'YYYY-MM')`,
  projectId: Prisma.sql`"projectId"::text`,
  providerId: Prisma.sql`"providerId"::text`,
  offeringId: Prisma.sql`"offeringId"::text`,
  ownerId: Prisma.sql`"ownerId"::text`,
};

export interface LedgerSum {
  keys: Partial<Record<LedgerKey, string>>;
  /** Millicents. */
  compute: number;
  storage: number;
  poweredSeconds: number;
}

export interface LedgerState {
  accruedUntil: Date | null;
  rolledUpThrough: string | null;
}

export async function ledgerState(db: Db | Tx): Promise<LedgerState> {
  const l = await db.costLedger.findUnique({ where: { id: 1 } });
  return { accruedUntil: l?.accruedUntil ?? null, rolledUpThrough: l?.rolledUpThrough ? dayOfDateValue(l.rolledUpThrough) : null };
}

/** Ledger sums for the days [fromDay, toDay] (YYYY-MM-DD, inclusive), optionally of some projects only. */
export async function ledgerSums(
  db: Db | Tx,
  q: { fromDay: string; toDay: string; projectIds: string[] | null; timeZone: string; by: readonly LedgerKey[]; state?: LedgerState },
): Promise<LedgerSum[]> {
  const state = q.state ?? (await ledgerState(db));
  const rolled = state.rolledUpThrough;
  const dailyTo = rolled && rolled < q.toDay ? rolled : q.toDay;
  const hourlyFromDay = rolled && addDays(rolled, 1) > q.fromDay ? addDays(rolled, 1) : q.fromDay;
  const projects = q.projectIds;
  const keys = q.by.map((k) => KEY_SQL[k]);
  const select = keys.length ? Prisma.sql`${Prisma.join(keys.map((k, i) => Prisma.sql`${k} as ${Prisma.raw(`k${i}`)}`))},` : Prisma.empty;
  const groupBy = keys.length ? Prisma.sql`group by ${Prisma.join(keys.map((_, i) => Prisma.raw(String(i + 1))))}` : Prisma.empty;
  const rows = await db.$queryRaw<Record<string, unknown>[]>`
    with r as (
      select day, "projectId", "providerId", "offeringId", "ownerId", "computeMillicents" as c, "storageMillicents" as s, "poweredSeconds" as p
      from "CostDaily"
      where ${rolled !== null}::boolean and day >= ${dateValue(q.fromDay)}::date and day <= ${dateValue(dailyTo)}::date
        and (${projects}::uuid[] is null or "projectId" = any(${projects}::uuid[]))
      union all
      select ((hour at time zone 'UTC') at time zone ${q.timeZone})::date, "projectId", "providerId", "offeringId", "ownerId",
        "computeMillicents", "storageMillicents", "poweredSeconds"::bigint
      from "CostAccrual"
      where hour >= ${dayStart(hourlyFromDay, q.timeZone)} and hour < ${dayStart(addDays(q.toDay, 1), q.timeZone)}
        and (${projects}::uuid[] is null or "projectId" = any(${projects}::uuid[]))
    )
    select ${select} coalesce(sum(c), 0)::bigint as compute, coalesce(sum(s), 0)::bigint as storage, coalesce(sum(p), 0)::bigint as powered
    from r ${groupBy}`;
  return rows
    .map((row) => ({
      keys: Object.fromEntries(q.by.map((k, i) => [k, row[`k${i}`] as string])) as Partial<Record<LedgerKey, string>>,
      compute: Number(row.compute),
      storage: Number(row.storage),
      poweredSeconds: Number(row.powered),
    }))
    .filter((r) => q.by.length === 0 || r.compute !== 0 || r.storage !== 0 || r.poweredSeconds !== 0);
}

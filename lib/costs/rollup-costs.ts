// The daily rollup: every calendar day (ORQ_TIME_ZONE) the ledger has been accrued through is
// summed by project, provider, offering and owner into CostDaily, once; hourly rows older than
// the retention (ORQ_COST_HOURLY_RETENTION_DAYS, default 90) are then dropped. Reports read the
// rolled-up days from CostDaily and the days since from the hourly ledger.
import type { Db } from "../db/client";
import { addDays, dateValue, dayOfDateValue, dayStart, localDay } from "./calendar";

export const hourlyRetentionDays = (env: Record<string, string | undefined> = process.env) => {
  const n = Number(env.ORQ_COST_HOURLY_RETENTION_DAYS);
  return env.ORQ_COST_HOURLY_RETENTION_DAYS && Number.isInteger(n) && n >= 1 ? n : 90;
};

export interface RollupResult {
  /** Days rolled up by this run (first, last), or null. */
  days: [string, string] | null;
  pruned: number;
}

export async function rollupCosts(db: Db, opts: { now: Date; timeZone: string; retentionDays?: number }): Promise<RollupResult> {
  const { timeZone } = opts;
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`select pg_advisory_xact_lock(hashtext('orq-cost-rollup'))`;
      const ledger = await tx.costLedger.findUnique({ where: { id: 1 } });
      if (!ledger?.accruedUntil) return { days: null, pruned: 0 };
      // Days that ended before the ledger's accrual point are complete.
      const lastClosed = addDays(localDay(ledger.accruedUntil, timeZone), -1);
      let first: string;
      if (ledger.rolledUpThrough) {
        first = addDays(dayOfDateValue(ledger.rolledUpThrough), 1);
      } else {
        const oldest = await tx.costAccrual.findFirst({ orderBy: { hour: "asc" }, select: { hour: true } });
        first = oldest ? localDay(oldest.hour, timeZone) : addDays(lastClosed, 1);
      }
      let days: [string, string] | null = null;
      if (first <= lastClosed) {
        const from = dayStart(first, timeZone);
        const to = dayStart(addDays(lastClosed, 1), timeZone);
        await tx.costDaily.deleteMany({ where: { day: { gte: dateValue(first), lte: dateValue(lastClosed) } } });
        await tx.$executeRaw`
          insert into "CostDaily" (day, "projectId", "providerId", "offeringId", "ownerId", "computeMillicents", "storageMillicents", "poweredSeconds", "liveSeconds")
          select ((hour at time zone 'UTC') at time zone ${timeZone})::date, "projectId", "providerId", "offeringId", "ownerId",
            sum("computeMillicents"), sum("storageMillicents"), sum("poweredSeconds"), sum("liveSeconds")
          from "CostAccrual"
          where hour >= ${from} and hour < ${to}
          group by 1, 2, 3, 4, 5`;
        days = [first, lastClosed];
      }
      const through = days ? days[1] : ledger.rolledUpThrough ? dayOfDateValue(ledger.rolledUpThrough) : null;
      if (days) await tx.costLedger.update({ where: { id: 1 }, data: { rolledUpThrough: dateValue(days[1]) } });
      let pruned = 0;
      if (through) {
        const keepFrom = new Date(opts.now.getTime() - (opts.retentionDays ?? hourlyRetentionDays()) * 86_400_000);
        const rolledEnd = dayStart(addDays(through, 1), timeZone);
        const before = keepFrom < rolledEnd ? keepFrom : rolledEnd;
        pruned = (await tx.costAccrual.deleteMany({ where: { hour: { lt: before } } })).count;
      }
      return { days, pruned };
    },
    { timeout: 300_000, maxWait: 30_000 },
  );
}

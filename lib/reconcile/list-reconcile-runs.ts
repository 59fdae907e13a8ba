import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import type { CounterDrift } from "../orchestration/reconcile-counters";
import type { ReconcileFinding } from "../orchestration/reconcile-resources";
import { reconcileMode } from "../orchestration/reconcile-resources";

export interface ReconcileRunView {
  id: string;
  trigger: string;
  startedAt: string;
  finishedAt: string | null;
  outcome: string | null;
  repaired: number;
  error: string | null;
}

export interface ReconcileOverview {
  mode: "repair" | "report";
  counters: (ReconcileRunView & { drift: CounterDrift[] })[];
  providers: {
    id: string;
    name: string;
    kind: string;
    status: string;
    lastReconcileAt: string | null;
    last: (ReconcileRunView & { findings: ReconcileFinding[] }) | null;
  }[];
}

const view = (r: { id: string; trigger: string; startedAt: Date; finishedAt: Date | null; outcome: string | null; repaired: number; error: string | null }): ReconcileRunView => ({
  id: r.id,
  trigger: r.trigger,
  startedAt: r.startedAt.toISOString(),
  finishedAt: r.finishedAt?.toISOString() ?? null,
  outcome: r.outcome,
  repaired: r.repaired,
  error: r.error,
});

/** The admin page: recent counter checks, and each provider's last ownership reconcile. */
export async function listReconcileRuns(ctx: Ctx): Promise<ReconcileOverview> {
  assertCan(ctx.actor, "reconcile.run");
  const [counters, providers] = await Promise.all([
    ctx.db.reconcileRun.findMany({ where: { kind: "COUNTERS" }, orderBy: { startedAt: "desc" }, take: 10 }),
    ctx.db.provider.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, kind: true, status: true, lastReconcileAt: true } }),
  ]);
  // One query for every provider's latest run (DISTINCT ON), not one per provider.
  const latest = await ctx.db.$queryRaw<{ id: string }[]>`
    select distinct on ("providerId") id from "ReconcileRun" where kind = 'PROVIDER' order by "providerId", "startedAt" desc`;
  const runs = new Map(
    (await ctx.db.reconcileRun.findMany({ where: { id: { in: latest.map((l) => l.id) } } })).map((r) => [r.providerId, r]),
  );
  return {
    mode: reconcileMode(),
    counters: counters.map((r) => ({ ...view(r), drift: (r.findings as unknown as CounterDrift[]) ?? [] })),
    providers: providers.map((p) => {
      const r = runs.get(p.id);
      return {
        id: p.id,
        name: p.name,
        kind: p.kind,
        status: p.status,
        lastReconcileAt: p.lastReconcileAt?.toISOString() ?? null,
        last: r ? { ...view(r), findings: (r.findings as unknown as ReconcileFinding[]) ?? [] } : null,
      };
    }),
  };
}

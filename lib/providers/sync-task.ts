// The worker's periodic inventory sync as a graphile-worker task. Registration (owned by the
// orchestration worker, lib/orchestration/worker.ts):
//   taskList[PROVIDER_SYNC_TASK] = providerSyncTask(db, { now, log })
//   crontab line: PROVIDER_SYNC_CRONTAB
// Payload `now` (ISO) lets tests and operators run a sync as of another moment.
import type { Task } from "graphile-worker";
import type { Logger } from "pino";
import type { Db } from "../db/client";
import { syncAllProviders, syncProviderInventory } from "./sync-inventory";

/** Syncs (and reconciles) one provider now; queued after a provision failed there. */
export const PROVIDER_SYNC_ONE_TASK = "provider-sync";

export function providerSyncOneTask(db: Db, opts: { now?: () => Date; log?: Pick<Logger, "info" | "warn"> } = {}): Task {
  return async (payload) => {
    const p = (payload ?? {}) as { providerId?: unknown; trigger?: unknown };
    if (typeof p.providerId !== "string") return;
    const r = await syncProviderInventory(db, p.providerId, opts.now?.() ?? new Date(), { trigger: typeof p.trigger === "string" ? p.trigger : "event" });
    if (r.ok) opts.log?.info({ providerId: r.providerId, reconcile: r.reconcile.length }, "provider reconciled");
    else opts.log?.warn({ providerId: r.providerId, code: r.code, reason: r.message }, "provider reconcile failed");
  };
}

export const PROVIDER_SYNC_TASK = "providers-sync";
/** Every 5 minutes; one run at a time (a slow provider never piles runs up). */
export const PROVIDER_SYNC_CRONTAB = `*/5 * * * * ${PROVIDER_SYNC_TASK} ?max=1&jobKey=${PROVIDER_SYNC_TASK}&jobKeyMode=preserve_run_at`;

export function providerSyncTask(db: Db, opts: { now?: () => Date; log?: Pick<Logger, "info" | "warn"> } = {}): Task {
  return async (payload) => {
    const p = (payload ?? {}) as { now?: unknown };
    const now = typeof p.now === "string" && !Number.isNaN(Date.parse(p.now)) ? new Date(p.now) : (opts.now?.() ?? new Date());
    const results = await syncAllProviders(db, now);
    for (const r of results) {
      if (r.ok) opts.log?.info({ providerId: r.providerId, seen: r.seen, drifted: r.drifted, cleared: r.cleared, unmanaged: r.unmanaged }, "provider inventory synced");
      else opts.log?.warn({ providerId: r.providerId, code: r.code, reason: r.message }, "provider inventory sync failed");
    }
  };
}

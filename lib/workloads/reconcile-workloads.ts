// Container workloads against what runs: the workload half of the provider inventory sync
// (lib/providers/sync-inventory.ts), a worker task every minute.
//
// Every RUNNING workload with no operation in flight is asked for its status; what the
// provider reports is stored on the row (observed, observedAt: the workload page shows it).
// Engines that run their own controller (Kubernetes Deployments restart and reschedule pods)
// are only observed. On the others (a Docker engine, the simulator) nothing brings back a
// container removed or stopped behind the portal's back, so a workload whose replicas are
// missing, stopped or failed, or that has more replicas than asked, gets a heal: a SCALE to
// its own replica count, which the driver's level-triggered `apply` converges (creates the
// missing replicas, starts stopped ones, removes the surplus). The heal is an ordinary
// operation created under the workload's version check, so two reconciles (two workers, a
// retried job) never heal twice: the second finds the workload UPDATING, or a version it did
// not read, and leaves it. The quota is untouched: the replica count does not change.
//
// Flapping guard: after HEAL_LIMIT heals of one workload within HEAL_WINDOW_MS, healing
// pauses; the reason is written on the workload (failureCode HEAL_PAUSED) and audited once.
// It resumes by itself when the window has passed, and the reason is cleared as soon as the
// workload is seen whole again.
import type { Logger } from "pino";
import type { Db, Prisma } from "../db/client";
import { driverFor, type DriverRegistry } from "../drivers/registry";
import type { Driver } from "../drivers/types";
import { workloadResourceName, type WorkloadStatus } from "../drivers/workload-types";
import { withTimeout } from "../drivers/with-timeout";
import { recordAudit } from "../audit/record-audit";
import { createWorkloadOperation, lockWorkload } from "./create-workload-operation";
import { observedJson, projectNamespace } from "./engine";

export const WORKLOAD_RECONCILE_TASK = "orq-workloads-reconcile";
/** Every minute; one run at a time (a slow provider never piles runs up). */
export const WORKLOAD_RECONCILE_CRONTAB = `* * * * * ${WORKLOAD_RECONCILE_TASK} ?max=1&jobKey=${WORKLOAD_RECONCILE_TASK}&jobKeyMode=preserve_run_at`;

export const HEAL_LIMIT = 3;
export const HEAL_WINDOW_MS = 60 * 60_000;
const STATUS_TIMEOUT_MS = 30_000;

export interface ReconcileWorkloadsDeps {
  db: Db;
  now: () => Date;
  registry?: DriverRegistry;
  log?: Pick<Logger, "info" | "warn">;
  statusTimeoutMs?: number;
}

export interface WorkloadReconcileResult {
  checked: number;
  healthy: number;
  /** Heals started (a SCALE to the workload's own replica count). */
  healed: number;
  /** Drifted, left alone by the flapping guard. */
  paused: number;
  /** Drifted on an engine with its own controller: observed only. */
  observedOnly: number;
  /** Providers that could not be asked (their workloads are left as they are). */
  failed: number;
}

const include = { provider: true, project: { select: { slug: true } } } satisfies Prisma.WorkloadInclude;
type Loaded = Prisma.WorkloadGetPayload<{ include: typeof include }>;

/** What is wrong with a workload as the provider reports it, in plain words; null: whole. */
export function driftOf(replicas: number, s: WorkloadStatus | null): string | null {
  if (!s || s.replicas.length === 0) return replicas > 0 ? `none of its ${replicas} replicas exist on the provider` : null;
  const down = s.replicas.filter((r) => r.state !== "RUNNING");
  const missing = Math.max(0, replicas - s.replicas.length);
  const parts: string[] = [];
  if (missing) parts.push(`${missing} of ${replicas} replicas missing`);
  if (down.length) parts.push(`${down.map((r) => `${r.name} ${r.state.toLowerCase()}`).join(", ")}`);
  if (s.replicas.length > replicas) parts.push(`${s.replicas.length - replicas} replicas more than the ${replicas} asked`);
  return parts.length ? parts.join("; ") : null;
}

/** Nothing of the workload exists: stored as an empty observation. */
const observedOf = (s: WorkloadStatus | null) =>
  s ? observedJson(s) : ({ desired: 0, running: 0, ready: 0, updated: 0, image: null, replicas: [], conditions: [], storage: null } as Prisma.InputJsonValue);

/** Reconciles every RUNNING workload (or those of one provider) with what its provider runs. */
export async function reconcileWorkloads(deps: ReconcileWorkloadsDeps, opts: { providerId?: string } = {}): Promise<WorkloadReconcileResult> {
  const { db } = deps;
  const result: WorkloadReconcileResult = { checked: 0, healthy: 0, healed: 0, paused: 0, observedOnly: 0, failed: 0 };
  const workloads = await db.workload.findMany({
    where: {
      state: "RUNNING",
      deletedAt: null,
      providerId: opts.providerId ?? { not: null },
      operations: { none: { status: { in: ["QUEUED", "RUNNING"] } } },
    },
    include,
    orderBy: { id: "asc" },
  });
  const byProvider = new Map<string, Loaded[]>();
  for (const w of workloads) byProvider.set(w.providerId!, [...(byProvider.get(w.providerId!) ?? []), w]);

  for (const list of byProvider.values()) {
    let driver: Driver | null = null;
    try {
      driver = await driverFor(list[0].provider!, { db }, deps.registry);
      const engine = driver.workloads;
      if (!engine) continue;
      for (const w of list) {
        let status: WorkloadStatus | null;
        try {
          status = await withTimeout(
            deps.statusTimeoutMs ?? STATUS_TIMEOUT_MS,
            (signal) => engine.status({ workloadId: w.id, name: w.externalRef ?? workloadResourceName(w.name, w.id), namespace: projectNamespace(w.project.slug) }, { signal }),
            { what: "The provider (workload status)" },
          );
        } catch (err) {
          // One workload the provider cannot describe now: the next run asks again.
          result.failed++;
          deps.log?.warn({ workloadId: w.id, err: (err as Error).message }, "workload status failed");
          continue;
        }
        result.checked++;
        await reconcileOne(deps, w, status, engine.selfHealing === true, result);
      }
    } catch (err) {
      result.failed++;
      deps.log?.warn({ providerId: list[0].providerId, err: (err as Error).message }, "workload reconcile: provider unavailable");
    } finally {
      await driver?.close().catch(() => {});
    }
  }
  return result;
}

async function reconcileOne(deps: ReconcileWorkloadsDeps, w: Loaded, status: WorkloadStatus | null, selfHealing: boolean, result: WorkloadReconcileResult) {
  const { db } = deps;
  const now = deps.now();
  const drift = driftOf(w.replicas, status);
  const wasPaused = w.failureCode === "HEAL_PAUSED";
  // The observation, only if nothing moved the workload since it was read.
  const observe = (extra: Prisma.WorkloadUncheckedUpdateManyInput = {}) =>
    db.workload.updateMany({ where: { id: w.id, version: w.version, state: "RUNNING" }, data: { observed: observedOf(status), observedAt: now, ...extra } });

  if (!drift) {
    result.healthy++;
    await observe(wasPaused ? { failureCode: null, failureReason: null } : {});
    return;
  }
  if (selfHealing) {
    result.observedOnly++;
    await observe();
    return;
  }
  await db.$transaction(async (tx) => {
    const cur = await lockWorkload(tx, w.id);
    if (cur.state !== "RUNNING" || cur.version !== w.version || cur.deletedAt) return;
    const heals = await tx.workloadOperation.count({
      where: { workloadId: w.id, kind: "SCALE", requestedById: null, createdAt: { gte: new Date(now.getTime() - HEAL_WINDOW_MS) }, params: { path: ["heal"], equals: true } },
    });
    const system = { actor: null, correlationId: `workload-reconcile:${w.id}:${now.toISOString()}` };
    if (heals >= HEAL_LIMIT) {
      result.paused++;
      const reason = `Healing paused after ${heals} heals within an hour: ${drift}`;
      await tx.workload.update({ where: { id: w.id }, data: { observed: observedOf(status), observedAt: now, failureCode: "HEAL_PAUSED", failureReason: reason } });
      if (!wasPaused) {
        await recordAudit(tx, system, { action: "workload.heal_paused", targetType: "workload", targetId: w.id, projectId: w.projectId, after: { drift, heals, windowMinutes: HEAL_WINDOW_MS / 60_000 } });
      }
      return;
    }
    await tx.workload.update({ where: { id: w.id }, data: { observed: observedOf(status), observedAt: now } });
    const after = await lockWorkload(tx, w.id);
    const op = await createWorkloadOperation(tx, after, { kind: "SCALE", params: { replicas: cur.replicas, previousReplicas: cur.replicas, heal: true, reason: drift }, requestedById: null });
    await recordAudit(tx, system, {
      action: "workload.drift",
      targetType: "workload",
      targetId: w.id,
      projectId: w.projectId,
      before: { replicas: cur.replicas, running: status?.running ?? 0, seen: status?.replicas.length ?? 0 },
      after: { drift, healing: true, operationId: op.id },
    });
    result.healed++;
  });
}

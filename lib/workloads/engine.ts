// The workload engine: carries a workload's operations to their end, one at a time, in the
// order they were requested (WorkloadOperation.seq), with the same guarantees as the machine
// engine (lib/orchestration/run-operation.ts), whose retry policy, deadlines and error
// classification it reuses:
// - one job per workload (enqueue.ts), the head operation blocks the ones behind it;
// - idempotent: a finished operation is left alone, every attempt passes the same key to the
//   driver, and the driver's `apply` converges (finds what an earlier attempt created), and the
//   transaction that records success is fenced by the attempt number;
// - retryable DriverErrors go back to QUEUED with nextAttemptAt (backoff.ts);
// - final failure: the workload goes where the table says, what the operation reserved is
//   given back (compensations.ts), a failed deploy releases the whole reservation and queues a
//   CLEANUP that removes whatever it created by its ownership labels.
import type { Logger } from "pino";
import type { Db, Prisma, Tx } from "../db/client";
import type { WorkloadState } from "../generated/prisma/enums";
import { driverFor, type DriverRegistry } from "../drivers/registry";
import { DriverError, type CallOptions, type Driver } from "../drivers/types";
import type { WorkloadEngine, WorkloadSpec, WorkloadStatus } from "../drivers/workload-types";
import { workloadResourceName } from "../drivers/workload-types";
import { withTimeout } from "../drivers/with-timeout";
import { installationId } from "../installation/installation-id";
import { recordAudit } from "../audit/record-audit";
import { backoffDelayMs, shouldRetry, type RetryPolicy } from "../orchestration/backoff";
import { classify, retryPolicyFor } from "../orchestration/run-operation";
import { OperationFailure } from "../orchestration/operation-failure";
import { compensateWorkload } from "./compensations";
import { createWorkloadOperation, lockWorkload, moveWorkload } from "./create-workload-operation";
import { enqueueWorkload } from "./enqueue";
import { WORKLOAD_STACK_LABEL } from "./request-workload";
import { nudgeStacks } from "../stacks/nudge-stacks";
import { releaseWorkloadQuota } from "./reservation";
import { openWorkloadSecrets } from "./secrets";
import { WORKLOAD_OPERATION_SPECS, workloadSpecOf, workloadStateAfterFailure, type WorkloadOperationSpec } from "./workload-specs";

export interface WorkloadEngineDeps {
  db: Db;
  now: () => Date;
  retry: RetryPolicy;
  log: Logger;
  signal?: AbortSignal;
  registry?: DriverRegistry;
  /** Overrides the table's timeouts (tests). */
  workloadTimeoutMs?: number;
}

export type WorkloadRunOutcome = "missing" | "skipped" | "succeeded" | "failed" | "retrying" | "cancelled";

const workloadInclude = { provider: true, project: { select: { slug: true } } } satisfies Prisma.WorkloadInclude;
type LoadedWorkload = Prisma.WorkloadGetPayload<{ include: typeof workloadInclude }>;
type LoadedOp = Prisma.WorkloadOperationGetPayload<object>;

const TERMINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);
const paramsOf = (op: { params: Prisma.JsonValue }) => (op.params && typeof op.params === "object" && !Array.isArray(op.params) ? op.params : {}) as Record<string, unknown>;
const fromStateOf = (op: { params: Prisma.JsonValue }) => (typeof paramsOf(op).fromState === "string" ? (paramsOf(op).fromState as WorkloadState) : null);

class Superseded extends Error {}

/** Kubernetes-style namespace of a project: `orq-<slug>`, a DNS-1123 label. */
export const projectNamespace = (slug: string) => `orq-${slug.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "")}`.slice(0, 63);

/** The driver's view of the workload, built from the row (secrets opened here, in the worker). */
export async function workloadSpecFor(db: Db, w: LoadedWorkload, overrides: Partial<Pick<WorkloadSpec, "replicas" | "image">> = {}): Promise<WorkloadSpec> {
  const secrets = openWorkloadSecrets(w.id, w.secretsEnc);
  const env = { ...((w.env ?? {}) as Record<string, string>), ...secrets };
  return {
    workloadId: w.id,
    installationId: await installationId(db),
    projectId: w.projectId,
    name: w.externalRef ?? workloadResourceName(w.name, w.id),
    image: overrides.image ?? w.image,
    command: Array.isArray(w.command) ? (w.command as string[]) : null,
    replicas: overrides.replicas ?? w.replicas,
    vcpu: w.vcpu,
    memoryMb: w.memoryMb,
    ports: (w.ports ?? []) as unknown as WorkloadSpec["ports"],
    env,
    secretKeys: Object.keys(secrets),
    healthCheck: (w.healthCheck ?? null) as unknown as WorkloadSpec["healthCheck"],
    updateStrategy: w.updateStrategy,
    autoscaling: (w.autoscaling ?? null) as unknown as WorkloadSpec["autoscaling"],
    namespace: projectNamespace(w.project.slug),
    stackId: stackIdOf(w.labels),
  };
}

/** The stack a workload belongs to, from its ownership labels (request-workload.ts writes it). */
function stackIdOf(labels: Prisma.JsonValue): string | null {
  const v = labels && typeof labels === "object" && !Array.isArray(labels) ? (labels as Record<string, unknown>)["orquestra.stack-id"] : undefined;
  return typeof v === "string" && v ? v : null;
}

export function engineOf(driver: Driver): WorkloadEngine {
  if (!driver.workloads) throw new DriverError("UNSUPPORTED", `The ${driver.kind} provider does not run container workloads`, false);
  return driver.workloads;
}

type Finish = (tx: Tx, cur: Prisma.WorkloadGetPayload<object>) => Promise<{ data?: Prisma.WorkloadUncheckedUpdateManyInput; result?: Record<string, unknown> }>;
interface Ctx {
  w: LoadedWorkload;
  op: LoadedOp;
  params: Record<string, unknown>;
  engine: () => Promise<WorkloadEngine>;
  call: <T>(what: string, fn: (opts: CallOptions) => Promise<T>) => Promise<T>;
  db: Db;
}

/** What the provider reported, as stored in Workload.observed (the detail page reads it). */
export const observedJson = (s: WorkloadStatus) =>
  JSON.parse(JSON.stringify({ desired: s.desired, running: s.running, ready: s.ready, updated: s.updated, image: s.image, replicas: s.replicas, conditions: s.conditions ?? [], storage: s.storage ?? null })) as Prisma.InputJsonValue;

const observed = (s: WorkloadStatus | null, at: Date) => ({ observed: s ? observedJson(s) : undefined, observedAt: at });

const HANDLERS: Record<keyof typeof WORKLOAD_OPERATION_SPECS, (c: Ctx) => Promise<Finish>> = {
  DEPLOY: async (c) => {
    const spec = await workloadSpecFor(c.db, c.w);
    const engine = await c.engine();
    const s = await c.call("deploy", (o) => engine.apply(spec, o));
    return async () => ({ data: { externalRef: s.ref, failureCode: null, failureReason: null, ...observed(s, new Date()) }, result: { ref: s.ref, running: s.running } });
  },
  SCALE: async (c) => {
    const replicas = Number(c.params.replicas);
    const spec = await workloadSpecFor(c.db, c.w, { replicas });
    const engine = await c.engine();
    const s = await c.call("scale", (o) => engine.apply(spec, o));
    return async (tx, cur) => {
      // A scale down gives back the replicas it removed, once they are gone.
      const surplus = cur.reservedReplicas - Math.max(replicas, cur.replicas);
      if (surplus > 0 && cur.releasedAt === null) {
        await releaseWorkloadQuota(tx, cur.projectId, cur, surplus);
        return { data: { reservedReplicas: cur.reservedReplicas - surplus, ...observed(s, new Date()) }, result: { replicas, running: s.running, released: surplus } };
      }
      return { data: observed(s, new Date()), result: { replicas, running: s.running } };
    };
  },
  ROLLOUT: async (c) => {
    const image = String(c.params.image);
    const spec = await workloadSpecFor(c.db, c.w, { image });
    const engine = await c.engine();
    const s = await c.call("rollout", (o) => engine.apply(spec, o));
    return async () => ({ data: observed(s, new Date()), result: { image, updated: s.updated } });
  },
  RESTART: async (c) => {
    const spec = await workloadSpecFor(c.db, c.w);
    const engine = await c.engine();
    const s = await c.call("restart", (o) => engine.restart(spec, c.op.id, o));
    return async () => ({ data: observed(s, new Date()), result: { running: s.running } });
  },
  DELETE: async (c) => {
    if (c.w.provider) {
      const spec = await workloadSpecFor(c.db, c.w);
      const engine = await c.engine();
      await c.call("delete", (o) => engine.remove(spec, o));
    }
    return async (tx, cur) => {
      if (cur.releasedAt === null) await releaseWorkloadQuota(tx, cur.projectId, cur, cur.reservedReplicas);
      return { data: { releasedAt: new Date(), reservedReplicas: 0, deletedAt: new Date(), observed: { desired: 0, running: 0, ready: 0, updated: 0, replicas: [] } as Prisma.InputJsonValue } };
    };
  },
  CLEANUP: async (c) => {
    if (!c.w.provider) return async () => ({});
    const spec = await workloadSpecFor(c.db, c.w);
    const engine = await c.engine();
    await c.call("cleanup", (o) => engine.remove(spec, o));
    return async () => ({ result: { removed: true } });
  },
};

export async function runWorkloadOperation(deps: WorkloadEngineDeps, operationId: string): Promise<WorkloadRunOutcome> {
  const { db, log } = deps;
  const op0 = await db.workloadOperation.findUnique({ where: { id: operationId } });
  if (!op0) return "missing";
  if (TERMINAL.has(op0.status)) return "skipped";
  const op = await db.$transaction(async (tx) => {
    await lockWorkload(tx, op0.workloadId);
    const claimed = await tx.workloadOperation.updateMany({
      where: { id: operationId, status: { in: ["QUEUED", "RUNNING"] } },
      data: { status: "RUNNING", attempts: { increment: 1 }, startedAt: op0.startedAt ?? deps.now(), nextAttemptAt: null },
    });
    return claimed.count === 1 ? tx.workloadOperation.findUniqueOrThrow({ where: { id: operationId } }) : null;
  });
  if (!op) return "skipped";
  const spec = workloadSpecOf(op.kind);
  const attempt = op.attempts;
  const w = await db.workload.findUniqueOrThrow({ where: { id: op.workloadId }, include: workloadInclude });
  const opLog = log.child({ workloadOperationId: op.id, workloadId: w.id, kind: op.kind, attempt });

  // The state check: the workload holds the spec's transitional state (or any, for CLEANUP).
  if (spec.transitional && w.state !== spec.transitional) {
    const deleted = w.state === "DELETING" || w.state === "DELETED";
    await db.$transaction(async (tx) => {
      await lockWorkload(tx, w.id);
      const r = await tx.workloadOperation.updateMany({
        where: { id: op.id, status: "RUNNING" },
        data: deleted
          ? { status: "CANCELLED", errorCode: "CANCELLED", error: "The workload was deleted before this operation could run", finishedAt: deps.now() }
          : { status: "FAILED", errorCode: "CONFLICT", error: `The workload is ${w.state}, so it cannot ${spec.label.toLowerCase()}`, finishedAt: deps.now() },
      });
      if (r.count === 1) await compensateWorkload(tx, op);
    });
    return deleted ? "cancelled" : "failed";
  }

  let driver: Driver | undefined;
  const key = spec.idempotencyKey(op);
  const timeout = deps.workloadTimeoutMs ?? (Number(process.env.ORQ_OPERATION_TIMEOUT_MS) > 0 ? Number(process.env.ORQ_OPERATION_TIMEOUT_MS) : spec.timeoutMs);
  const c: Ctx = {
    w,
    op,
    db,
    params: paramsOf(op),
    engine: async () => {
      if (!w.provider) throw new OperationFailure("CONFLICT", "The workload is not placed on a provider", false);
      driver ??= await driverFor(w.provider, { db }, deps.registry ?? undefined);
      return engineOf(driver);
    },
    call: async (what, fn) => {
      try {
        return await withTimeout(timeout, (signal) => fn({ signal, idempotencyKey: key }), { parent: deps.signal, what: `The provider (${what})` });
      } catch (err) {
        if (err instanceof DriverError || err instanceof OperationFailure) throw err;
        throw new DriverError("PROVIDER", `The provider call failed: ${(err as Error)?.message ?? String(err)}`, true);
      }
    },
  };

  try {
    const finish = await HANDLERS[op.kind](c);
    await db.$transaction(async (tx) => {
      const cur = await lockWorkload(tx, w.id);
      const mine = await tx.workloadOperation.updateMany({
        where: { id: op.id, status: "RUNNING", attempts: attempt },
        data: { status: "SUCCEEDED", finishedAt: deps.now(), errorCode: null, error: null },
      });
      if (mine.count !== 1) throw new Superseded();
      const done = await finish(tx, cur);
      const target = spec.onSuccess;
      // Moved only from the transitional state: a workload deleted meanwhile stays DELETING.
      if (target && spec.transitional && cur.state === spec.transitional) {
        await moveWorkload(tx, cur, target, { ...(done.data ?? {}), ...(target === "RUNNING" ? { failureCode: null, failureReason: null } : {}) });
      } else if (done.data) {
        await tx.workload.update({ where: { id: cur.id }, data: done.data as Prisma.WorkloadUncheckedUpdateInput });
      }
      if (done.result) await tx.workloadOperation.update({ where: { id: op.id }, data: { result: done.result as Prisma.InputJsonValue } });
      // A stack's workload done (deployed, scaled, deleted): its stack's next step runs now.
      if (ownedByStack(cur)) await nudgeStacks(tx);
    });
    opLog.info("workload operation succeeded");
    return "succeeded";
  } catch (err) {
    if (err instanceof Superseded) return "skipped";
    const failure = classify(err);
    if (!failure) throw err;
    const policy = retryPolicyFor(deps.retry, w.provider);
    if (failure.retryable && shouldRetry(attempt, policy)) {
      const delay = backoffDelayMs(attempt, policy);
      await db.$transaction(async (tx) => {
        await lockWorkload(tx, w.id);
        const r = await tx.workloadOperation.updateMany({
          where: { id: op.id, status: "RUNNING", attempts: attempt },
          data: {
            status: "QUEUED",
            nextAttemptAt: new Date(deps.now().getTime() + delay),
            errorCode: failure.code,
            error: `${failure.message} (attempt ${attempt} of ${policy.maxAttempts}; trying again in ${Math.max(1, Math.round(delay / 1000))} s)`,
          },
        });
        if (r.count === 1) await enqueueWorkload(tx, w.id, new Date(Date.now() + delay));
      });
      opLog.warn({ code: failure.code, delayMs: delay }, `retryable failure: ${failure.message}`);
      return "retrying";
    }
    const final = failure.retryable ? new OperationFailure(failure.code, `${failure.message} (gave up after ${attempt} attempts)`, false) : failure;
    await failWorkloadOperation(deps, op.id, final, attempt);
    opLog.warn({ code: final.code }, `workload operation failed: ${final.message}`);
    return "failed";
  } finally {
    await driver?.close().catch(() => {});
  }
}

/** A workload a stack's apply requested (labelled with the stack's id). */
const ownedByStack = (w: { labels: unknown }) => Boolean((w.labels as Record<string, unknown> | null)?.[WORKLOAD_STACK_LABEL]);

/** Ends an operation as FAILED: state per the table, compensation, deploy -> release + CLEANUP. */
export async function failWorkloadOperation(deps: Pick<WorkloadEngineDeps, "db" | "now">, operationId: string, failure: OperationFailure, attempt?: number): Promise<void> {
  await deps.db.$transaction(async (tx) => {
    const op0 = await tx.workloadOperation.findUniqueOrThrow({ where: { id: operationId } });
    const cur = await lockWorkload(tx, op0.workloadId);
    const r = await tx.workloadOperation.updateMany({
      where: { id: operationId, status: "RUNNING", ...(attempt !== undefined ? { attempts: attempt } : {}) },
      data: { status: "FAILED", finishedAt: deps.now(), errorCode: failure.code, error: failure.message, nextAttemptAt: null },
    });
    if (r.count !== 1) return;
    const spec: WorkloadOperationSpec = workloadSpecOf(op0.kind);
    await compensateWorkload(tx, op0);
    const to = workloadStateAfterFailure(spec, fromStateOf(op0));
    const w = await tx.workload.findUniqueOrThrow({ where: { id: cur.id } });
    // A stack's run waiting for it stops (FAILED) now, not at the stack task's next minute.
    if (ownedByStack(w)) await nudgeStacks(tx);
    if (to && spec.transitional && w.state === spec.transitional) {
      await moveWorkload(tx, w, to, { failureCode: failure.code, failureReason: failure.message });
    }
    if (op0.kind === "DEPLOY") {
      // Nothing runs for it: the reservation is given back, and whatever the deploy created
      // is removed by its ownership labels.
      const again = await tx.workload.findUniqueOrThrow({ where: { id: cur.id } });
      if (again.releasedAt === null) {
        await releaseWorkloadQuota(tx, again.projectId, again, again.reservedReplicas);
        await tx.workload.update({ where: { id: again.id }, data: { releasedAt: deps.now(), reservedReplicas: 0 } });
      }
      if (again.providerId) await createWorkloadOperation(tx, again, { kind: "CLEANUP", params: { providerId: again.providerId, reason: "deploy failed" } });
    }
    await recordAudit(tx, { actor: null, correlationId: op0.id }, {
      action: `workload.${op0.kind.toLowerCase()}_failed`,
      targetType: "Workload",
      targetId: cur.id,
      projectId: cur.projectId,
      after: { errorCode: failure.code, error: failure.message },
    });
  });
}

const OPERATIONS_PER_RUN = 20;

/** Runs the workload's operations in order until none is ready (as drainMachine does). */
export async function drainWorkload(deps: WorkloadEngineDeps, workloadId: string): Promise<void> {
  const { db } = deps;
  let lastHead: string | null = null;
  for (let i = 0; i < OPERATIONS_PER_RUN; i++) {
    const head = await db.workloadOperation.findFirst({ where: { workloadId, status: { in: ["QUEUED", "RUNNING"] } }, orderBy: { seq: "asc" } });
    if (!head) return;
    if (head.nextAttemptAt && head.nextAttemptAt.getTime() > deps.now().getTime() + 50) {
      await db.$transaction((tx) => enqueueWorkload(tx, workloadId, head.nextAttemptAt!));
      return;
    }
    if (head.id === lastHead) return;
    lastHead = head.id;
    const outcome = await runWorkloadOperation(deps, head.id);
    if (outcome === "retrying") return;
    if (outcome !== "skipped") lastHead = null;
  }
  await db.$transaction((tx) => enqueueWorkload(tx, workloadId));
}

// The engine: carries a machine's operations to their end, one at a time, in the order they
// were requested (Operation.seq), as the operation table says (operation-specs.ts) with the
// handlers of operation-handlers.ts.
//
// - drainMachine runs the head operation of a machine (the oldest not finished), then the
//   next, ... A head waiting to retry blocks the ones behind it: the machine's job is put back
//   for the time of the retry. So a DELETE requested while a START waits for its third attempt
//   never overtakes it (unless the DELETE cancelled it: specs.cancelsQueued).
// - runOperation is idempotent: a finished operation is left alone, each attempt passes the
//   same idempotency key to the driver, and the transaction that records success is fenced by
//   the attempt number, so a job that runs twice (worker killed, lock recovered) never makes
//   two machines or applies a result twice.
// - Retries: a retryable DriverError (UNAVAILABLE, TIMEOUT, ...) puts the operation back in
//   QUEUED with nextAttemptAt = now + backoff (backoff.ts, per-provider policy), in the
//   transaction that records the attempt. Our schedule rather than graphile-worker's (fixed
//   exp(attempt) seconds) so the Operation row says what happens at every step; graphile's own
//   retry stays as the safety net for infrastructure errors (the database going away).
// - Final failure: the spec says where the machine goes; compensations give back what was
//   reserved; a failed provision queues a CLEANUP that removes whatever it created (found by
//   the machine's ownership tag).
import { phaseProgress, phasesOf, type PhaseName } from "./phases";
import type { Db, Prisma, Tx } from "../db/client";
import type { MachineState, OperationKind } from "../generated/prisma/enums";
import { AppError, conflict } from "../errors";
import { machineStateChangedCtes } from "../events/emit";
import { transition } from "../machines/state-machine";
import { notify } from "../notifications/notify";
import { operationFailedEvent } from "../events/engine-events";
import { driverFor } from "../drivers/registry";
import { DriverError, type Driver } from "../drivers/types";
import { withTimeout } from "../drivers/with-timeout";
import { backoffDelayMs, shouldRetry, type RetryPolicy } from "./backoff";
import { enqueueJob, enqueueMachine } from "./enqueue";
import { PROVIDER_SYNC_ONE_TASK } from "../providers/sync-task";
import { lockMachine, moveMachine } from "./machine-transition";
import { releaseMachineResources } from "./release-resources";
import { settleRequest } from "./request-status";
import { nudgeStacks } from "../stacks/nudge-stacks";
import { compensate } from "./compensations";
import { createOperation } from "./create-operation";
import { OPERATION_SPECS, restoreStateAfterFailure, specOf, stateAfterSuccess, type OperationSpec } from "./operation-specs";
import {
  loadMachine,
  OPERATION_HANDLERS,
  withRelations,
  OperationFailure,
  type EngineDeps,
  type HandlerCtx,
  type LoadedMachine,
  type LoadedOperation,
} from "./operation-handlers";

export { OperationFailure, type EngineDeps };

export type RunOutcome = "missing" | "skipped" | "succeeded" | "failed" | "retrying" | "cancelled";

/** ORQ_OPERATION_TIMEOUT_MS wins, then provider.config.timeoutMs (a number or per kind), then the table's. */
export function operationTimeoutMs(kind: OperationKind, providerConfig: Record<string, unknown>, env: Record<string, string | undefined> = process.env): number {
  const fromEnv = Number(env.ORQ_OPERATION_TIMEOUT_MS);
  if (env.ORQ_OPERATION_TIMEOUT_MS && Number.isFinite(fromEnv) && fromEnv > 0) return fromEnv;
  const t = providerConfig.timeoutMs;
  if (typeof t === "number" && t > 0) return t;
  if (t && typeof t === "object") {
    const v = (t as Record<string, unknown>)[kind];
    if (typeof v === "number" && v > 0) return v;
  }
  return OPERATION_SPECS[kind].timeoutMs;
}

/**
 * The retry policy for an operation on this provider: its own attempts and longest wait, unless
 * the worker's environment sets them (ORQ_OPERATION_MAX_ATTEMPTS, ORQ_RETRY_MAX_MS: operators
 * and tests).
 */
export function retryPolicyFor(
  base: RetryPolicy,
  provider: { retryMaxAttempts: number; retryMaxDelaySeconds: number } | null | undefined,
  env: Record<string, string | undefined> = process.env,
): RetryPolicy {
  if (!provider) return base;
  return {
    ...base,
    maxAttempts: env.ORQ_OPERATION_MAX_ATTEMPTS ? base.maxAttempts : Math.max(1, provider.retryMaxAttempts),
    maxMs: env.ORQ_RETRY_MAX_MS ? base.maxMs : Math.max(0, provider.retryMaxDelaySeconds * 1000),
  };
}

/** Maps an error to a failure; null for infrastructure errors that graphile-worker should retry. */
export function classify(err: unknown): OperationFailure | null {
  if (err instanceof OperationFailure) return err;
  if (err instanceof DriverError) return new OperationFailure(`DRIVER_${err.code}`, err.message, err.retryable);
  if (err instanceof AppError && err.code !== "INTERNAL") return new OperationFailure(err.code, err.message, false);
  return null;
}

const TERMINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);
const paramsOf = (op: { params: Prisma.JsonValue }) => (op.params && typeof op.params === "object" && !Array.isArray(op.params) ? op.params : {}) as Record<string, unknown>;
const fromStateOf = (op: { params: Prisma.JsonValue }) => {
  const s = paramsOf(op).fromState;
  return typeof s === "string" ? (s as MachineState) : null;
};

/** Another run of the same operation got there first: roll back and leave it to that one. */
class Superseded extends Error {}

/**
 * Whether the head operation can run with the machine as it is. A state-keeping operation
 * (a snapshot) may find the machine in the transitional state of an operation requested
 * after it (a STOP): the provider is still where that later operation found it.
 */
async function stateCheck(db: Db, op: LoadedOperation, spec: OperationSpec, machine: LoadedMachine): Promise<{ ok: true } | { ok: false; cancel: boolean; reason: string }> {
  const from = spec.from as readonly MachineState[];
  if (spec.transitional) {
    if (machine.state === spec.transitional) return { ok: true };
    if (op.kind === "PROVISION" && machine.state === "REQUESTED") return { ok: true };
  } else {
    if (from.includes(machine.state)) return { ok: true };
    const later = await db.operation.findMany({
      where: { machineId: machine.id, status: { in: ["QUEUED", "RUNNING"] }, seq: { gt: op.seq } },
      orderBy: { seq: "asc" },
    });
    const owner = later.find((o) => specOf(o.kind).transitional === machine.state);
    const effective = owner ? fromStateOf(owner) : null;
    if (effective && from.includes(effective)) return { ok: true };
  }
  if (machine.state === "DELETING" || machine.state === "DELETED") {
    return { ok: false, cancel: true, reason: "The machine was deleted before this operation could run" };
  }
  return { ok: false, cancel: false, reason: `The machine is ${machine.state}, so it cannot ${spec.label.toLowerCase()}` };
}

export async function runOperation(deps: EngineDeps, operationId: string, head?: LoadedOperation): Promise<RunOutcome> {
  const { db, log } = deps;
  // drainMachine hands over the row it just read (one statement fewer per operation).
  const op0 = head?.id === operationId ? head : await db.operation.findUnique({ where: { id: operationId } });
  if (!op0) {
    log.warn({ operationId }, "operation not found; job dropped");
    return "missing";
  }
  if (TERMINAL.has(op0.status)) return "skipped";

  // Claim it (and, for a provision, move the machine REQUESTED -> PROVISIONING). Lock order,
  // everywhere: the Machine row first, then its Operation rows (as the web side does).
  const started = await db.$transaction(async (tx) => {
    const m = await lockMachine(tx, op0.machineId);
    // One statement that claims and says what it wrote (no read back): the attempt number
    // comes from the row (a stale op0 may lag a concurrent claim), the rest is what was set.
    const startedAt = op0.startedAt ?? deps.now();
    const progress = Math.max(op0.progress, 5);
    const phases = phasesOf(op0.kind);
    // A provision also moves the machine REQUESTED -> PROVISIONING, with its event, in the
    // same statement (issue 9: one round trip, no ORM planning; the row is locked above, so
    // the version check holds; transition() checks the move as moveMachine does).
    const moves = op0.kind === "PROVISION" && m.state === "REQUESTED";
    if (moves) transition(m.state, "PROVISIONING");
    // As Prisma's @updatedAt writes it: the wall clock, not the engine's (tests move that).
    const updatedAt = new Date();
    const claimed = await tx.$queryRaw<{ attempts: number; result: Prisma.JsonValue; moved: number }[]>`
      with c as (
        update "Operation" set status = 'RUNNING', attempts = attempts + 1, "startedAt" = (${startedAt.toISOString()}::timestamptz at time zone 'utc'), progress = ${progress}::int,
          "nextAttemptAt" = null, phase = ${phases[0]}, "phaseStep" = 1, "phaseSteps" = ${phases.length}::int
        where id = ${operationId}::uuid and status in ('QUEUED', 'RUNNING')
        returning attempts, result
      ),
      m as (
        update "Machine" set state = 'PROVISIONING', version = version + 1, "updatedAt" = (${updatedAt.toISOString()}::timestamptz at time zone 'utc')
        where ${moves}::boolean and id = ${m.id}::uuid and version = ${m.version}::int and state = 'REQUESTED' and exists (select 1 from c)
        returning id, name, "projectId", "ownerId", "ipAddress"
      ),
      ${machineStateChangedCtes("REQUESTED", "PROVISIONING")}
      select c.attempts, c.result, (select count(*)::int from m) as moved, (select count(*)::int from j) as jobs from c`;
    if (claimed.length !== 1) return null;
    if (moves && claimed[0].moved !== 1) throw conflict("The machine changed in the meantime", { machineId: m.id, expected: m.state });
    // The machine as it is once this transaction commits (the handlers start from it: no read
    // again, issue 9).
    const row = moves ? { ...m, state: "PROVISIONING" as const, version: m.version + 1, updatedAt } : m;
    // Each attempt starts from the kind's first phase (a retry goes through them again).
    return {
      machine: row,
      op: {
      ...op0,
      status: "RUNNING" as const,
      attempts: claimed[0].attempts,
      result: claimed[0].result,
      startedAt,
      progress,
      nextAttemptAt: null,
      phase: phases[0],
      phaseStep: 1,
      phaseSteps: phases.length,
      },
    };
  });
  if (!started) return "skipped";
  const op = started.op;
  const spec = specOf(op.kind);
  const attempt = op.attempts;
  const machine = await withRelations(db, started.machine);
  const params = paramsOf(op);
  const opLog = log.child({ operationId, machineId: machine.id, kind: op.kind, attempt });

  const check = await stateCheck(db, op, spec, machine);
  if (!check.ok) {
    if (check.cancel) {
      await db.$transaction(async (tx) => {
        await lockMachine(tx, op.machineId);
        const r = await tx.operation.updateMany({
          where: { id: operationId, status: "RUNNING" },
          data: { status: "CANCELLED", finishedAt: deps.now(), errorCode: "CANCELLED", error: check.reason },
        });
        if (r.count === 1) await compensate(tx, op, machine, check.reason);
      });
      opLog.info(`operation cancelled: ${check.reason}`);
      return "cancelled";
    }
    await failOperation(deps, operationId, new OperationFailure("CONFLICT", check.reason, false, true), attempt);
    return "failed";
  }

  let driver: Driver | undefined;
  const providerConfig = (machine.provider?.config && typeof machine.provider.config === "object" ? machine.provider.config : {}) as Record<string, unknown>;
  const timeout = (deps.timeoutMs ?? operationTimeoutMs)(op.kind, providerConfig);
  const idempotencyKey = spec.idempotencyKey(op);
  const ctx: HandlerCtx = {
    deps,
    op,
    spec,
    machine,
    params,
    driver: async () => {
      if (driver) return driver;
      // The machine as loaded (or as the handler reloaded it after placing it: provision sets
      // ctx.machine); read again only when it had no provider then.
      const m = ctx.machine.provider ? ctx.machine : await loadMachine(db, machine.id);
      if (!m.provider) throw new OperationFailure("CONFLICT", "The machine is not placed on a provider", false, true);
      driver = await driverFor(m.provider, { db }, deps.registry ?? undefined);
      return driver;
    },
    call: async (what, fn) => {
      try {
        return await withTimeout(timeout, (signal) => fn({ signal, idempotencyKey }), { parent: deps.signal, what: `The provider (${what})` });
      } catch (err) {
        if (err instanceof DriverError || err instanceof OperationFailure) throw err;
        // Anything else out of a driver is the provider misbehaving: retry it within the limit.
        throw new DriverError("PROVIDER", `The provider call failed: ${(err as Error)?.message ?? String(err)}`, true);
      }
    },
    progress: async (n) => {
      await db.$executeRaw`update "Operation" set progress = ${n}::int where id = ${operationId}::uuid and status = 'RUNNING' and progress < ${n}::int`;
    },
    phase: async (name) => {
      await setPhase(operationId, op.kind, attempt, name);
    },
  };
  // Generic kinds: the first provider call is the "working" phase.
  const callPhase = phasesOf(op.kind).includes("working") ? "working" : null;
  if (callPhase) {
    const call = ctx.call;
    let entered = false;
    ctx.call = async (what, fn) => {
      if (!entered) {
        entered = true;
        await setPhase(operationId, op.kind, attempt, callPhase);
      }
      return call(what, fn);
    };
  }
  async function setPhase(id: string, kind: typeof op.kind, att: number, name: PhaseName) {
    const p = phaseProgress(kind, name);
    // Only the run holding this attempt writes; the percentage never goes back. One statement
    // (Prisma's updateMany is a transaction of its own: BEGIN, UPDATE, COMMIT).
    await db.$executeRaw`
      update "Operation" set phase = ${name}, "phaseStep" = ${p.step}::int, "phaseSteps" = ${p.steps}::int,
        progress = greatest(progress, ${p.percent}::int)
      where id = ${id}::uuid and status = 'RUNNING' and attempts = ${att}::int`;
  }

  try {
    const finish = await OPERATION_HANDLERS[op.kind](ctx);
    // The "finishing" phase is written by the fence below (same row, same final values: one
    // statement fewer per operation, issue 9).
    const fin = phasesOf(op.kind).includes("finishing") ? { name: "finishing" as const, ...phaseProgress(op.kind, "finishing") } : null;
    await db.$transaction(async (tx) => {
      const cur = await lockMachine(tx, machine.id);
      // What the handler wrote (inside this transaction: undone with it when the fence below
      // finds another run got there first).
      const done = await finish(tx, cur);
      const target = stateAfterSuccess(spec, fromStateOf(op));
      // Moved only from the spec's transitional state: a machine deleted meanwhile stays DELETING.
      const moves = target !== null && spec.transitional !== null && cur.state === spec.transitional;
      // Fence: only the run that holds this attempt records the result (status and result in
      // one statement).
      // Raw SQL: the hottest statement of a burst, without the ORM's planning (issue 9).
      const result = { ...((op.result as object | null) ?? {}), ...(done.result ?? {}), ...(moves ? {} : target ? { superseded: cur.state } : {}) };
      const mine = await tx.$executeRaw`
        update "Operation" set status = 'SUCCEEDED', progress = 100, "finishedAt" = (${deps.now().toISOString()}::timestamptz at time zone 'utc'),
          "errorCode" = null, error = null, result = ${JSON.stringify(result)}::jsonb,
          phase = coalesce(${fin?.name ?? null}::text, phase), "phaseStep" = coalesce(${fin?.step ?? null}::int, "phaseStep"),
          "phaseSteps" = coalesce(${fin?.steps ?? null}::int, "phaseSteps")
        where id = ${operationId}::uuid and status = 'RUNNING' and attempts = ${attempt}::int`;
      if (mine !== 1) throw new Superseded();
      if (moves) {
        await moveMachine(tx, cur, target, { ...(done.data ?? {}), ...(target === "RUNNING" || target === "STOPPED" ? { failureCode: null, failureReason: null } : {}) });
      } else if (done.data) {
        await tx.machine.update({ where: { id: cur.id }, data: done.data as Prisma.MachineUncheckedUpdateInput });
      }
      await afterSuccess(tx, deps, op, cur, moves ? target : null);
      if (done.after) await done.after(tx, moves);
    });
    opLog.info("operation succeeded");
    return "succeeded";
  } catch (err) {
    if (err instanceof Superseded) {
      opLog.warn("another run of this operation finished it first; this run's result is dropped");
      return "skipped";
    }
    const failure = classify(err);
    if (!failure) throw err;
    const policy = retryPolicyFor(deps.retry, machine.provider);
    if (failure.retryable && shouldRetry(attempt, policy)) {
      const delay = backoffDelayMs(attempt, policy);
      const next = new Date(deps.now().getTime() + delay);
      await db.$transaction(async (tx) => {
        await lockMachine(tx, op.machineId);
        // What this attempt wrote already (a placement) stays.
        const now = await tx.operation.findUnique({ where: { id: operationId }, select: { result: true } });
        const r = await tx.operation.updateMany({
          where: { id: operationId, status: "RUNNING", attempts: attempt },
          data: {
            status: "QUEUED",
            nextAttemptAt: next,
            // The attempt count the page shows beside the next try ("attempt 2 of 10").
            result: { ...((now?.result as object | null) ?? {}), retry: { maxAttempts: policy.maxAttempts } } as Prisma.InputJsonValue,
            errorCode: failure.code,
            error: `${failure.message} (attempt ${attempt} of ${policy.maxAttempts}; trying again in ${Math.max(1, Math.round(delay / 1000))} s)`,
          },
        });
        // The machine's job comes back at the retry time; the operations behind wait for it.
        if (r.count === 1) await enqueueMachine(tx, op.machineId, new Date(Date.now() + delay));
      });
      opLog.warn({ code: failure.code, delayMs: delay }, `retryable failure: ${failure.message}`);
      return "retrying";
    }
    const final = failure.retryable ? new OperationFailure(failure.code, `${failure.message} (gave up after ${attempt} attempts)`, false, failure.keepMachine) : failure;
    await failOperation(deps, operationId, final, attempt);
    opLog.warn({ code: final.code }, `operation failed: ${final.message}`);
    return "failed";
  } finally {
    await driver?.close?.().catch((err: unknown) => opLog.warn({ err: (err as Error)?.message }, "closing the driver failed"));
  }
}

/** What follows a success besides the state: releases, the request's status, notifications. */
async function afterSuccess(tx: Tx, deps: Pick<EngineDeps, "now">, op: LoadedOperation, cur: { id: string; ownerId: string; name: string; requestId: string | null; stackId: string | null }, movedTo: MachineState | null) {
  if (op.kind === "PROVISION") {
    if (movedTo === "RUNNING") await notify(tx, cur.ownerId, "machine.ready", { machineId: cur.id, machineName: cur.name }, `/machines/${cur.id}`);
    await settleRequest(tx, cur.requestId);
  }
  if (op.kind === "DELETE") {
    await releaseMachineResources(tx, cur.id, deps.now());
    await settleRequest(tx, cur.requestId);
    // A stack's machine gone (by hand, or by the stack's own change): its drift is checked now.
    if (cur.stackId) await nudgeStacks(tx);
  }
}

/**
 * Ends an operation as FAILED: the machine goes where the spec says (back to the state it was
 * in, or FAILED), reservations made for it are given back, a failed provision queues the
 * removal of whatever it created, and the owner is notified.
 */
export async function failOperation(deps: Pick<EngineDeps, "db" | "now">, operationId: string, failure: OperationFailure, attempt?: number): Promise<void> {
  await deps.db.$transaction(async (tx) => {
    const { machineId } = await tx.operation.findUniqueOrThrow({ where: { id: operationId }, select: { machineId: true } });
    let m = await lockMachine(tx, machineId);
    const op = await tx.operation.findUniqueOrThrow({ where: { id: operationId } });
    if (TERMINAL.has(op.status)) return;
    const now = deps.now();
    await tx.operation.update({
      where: { id: operationId },
      data: { status: "FAILED", errorCode: failure.code, error: failure.message, finishedAt: now, nextAttemptAt: null, ...(attempt ? { attempts: attempt } : {}) },
    });
    const spec = specOf(op.kind);
    // What it reserved is given back even when the machine itself is left as it is.
    await compensate(tx, op, m, failure.message);
    if (!failure.keepMachine) {
      const to = restoreStateAfterFailure(spec, fromStateOf(op));
      const holds = spec.transitional !== null && (m.state === spec.transitional || (op.kind === "PROVISION" && m.state === "REQUESTED"));
      if (to && holds) {
        const moved = await moveMachine(tx, m, to, to === "FAILED" ? { failureCode: failure.code, failureReason: failure.message } : {});
        m = { ...m, ...moved };
      }
      if (op.kind === "PROVISION") {
        // A machine being deleted is released by its delete.
        if (m.state !== "DELETING") await releaseMachineResources(tx, m.id, now);
        // Whatever an attempt created before failing (created, then timed out) is removed.
        if (m.providerId && m.state === "FAILED") {
          await createOperation(tx, m, { kind: "CLEANUP", params: { reason: "provision failed" } });
          // And a reconcile pass of the provider soon after (other leftovers, lost references).
          await enqueueJob(tx, PROVIDER_SYNC_ONE_TASK, { providerId: m.providerId, trigger: "provision-failed" }, {
            jobKey: `provider-sync:${m.providerId}`,
            jobKeyMode: "preserve_run_at",
            queueName: `provider:${m.providerId}`,
            runAt: new Date(Date.now() + 10_000),
          });
        }
        await settleRequest(tx, m.requestId);
      }
    }
    if (op.kind !== "CLEANUP") {
      await notify(
        tx,
        m.ownerId,
        "operation.failed",
        { machineId: m.id, machineName: m.name, operation: op.kind, errorCode: failure.code, error: failure.message },
        `/machines/${m.id}`,
      );
      await operationFailedEvent(tx, m, op, failure);
    }
  });
}

/** At most this many operations per job run, then the job is put back (other machines' turn). */
const OPERATIONS_PER_RUN = 20;

/**
 * Runs the machine's operations in order until none is ready: returns when the queue is
 * empty or its head waits for a retry (the machine's job was then put back for that time).
 */
export async function drainMachine(deps: EngineDeps, machineId: string): Promise<void> {
  const { db } = deps;
  let lastHead: string | null = null;
  for (let i = 0; i < OPERATIONS_PER_RUN; i++) {
    const head = await db.operation.findFirst({ where: { machineId, status: { in: ["QUEUED", "RUNNING"] } }, orderBy: { seq: "asc" } });
    if (!head) return;
    if (head.nextAttemptAt && head.nextAttemptAt.getTime() > deps.now().getTime() + 50) {
      await db.$transaction((tx) => enqueueMachine(tx, machineId, head.nextAttemptAt!));
      return;
    }
    // Claimed by nobody else (one job per machine), so a second "skipped" on the same head
    // means it cannot be run now: leave it to recovery rather than spin.
    if (head.id === lastHead) return;
    lastHead = head.id;
    const outcome = await runOperation(deps, head.id, head);
    if (outcome === "retrying") return;
    if (outcome !== "skipped") lastHead = null;
  }
  await db.$transaction((tx) => enqueueMachine(tx, machineId));
}

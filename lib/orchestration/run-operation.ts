// The "run-operation" task: carries one Operation row to its end. Idempotent (a finished
// operation is left alone; provisioning passes the machine id as the driver's idempotency
// key), so a job that runs twice (worker killed, lock recovered) never makes two machines.
//
// Retries: a retryable DriverError (UNAVAILABLE, TIMEOUT, ...) re-enqueues the job with
// run_at = now + backoff (backoff.ts) in the same transaction that records the attempt, and
// the current job completes. We do this rather than throwing to graphile-worker's own retry
// because its schedule is fixed (exp(attempt) seconds: 2.7 s, 7.4 s, 20 s, ...) and not
// configurable, and because the Operation row must say what happened at every step.
// Graphile-worker's retry stays as the safety net for infrastructure errors (the database
// going away mid-task): those are thrown and the job is tried again later.
import type { Logger } from "pino";
import type { Db, Prisma, Tx } from "../db/client";
import type { MachineState, OperationKind } from "../generated/prisma/enums";
import { AppError } from "../errors";
import { canTransition } from "../machines/state-machine";
import { resizeDelta } from "../machines/resize-impact";
import { notify } from "../notifications/notify";
import { driverFor, DRIVERS, type DriverRegistry } from "../drivers/registry";
import { installationId } from "../installation/installation-id";
import { DriverError, type Driver } from "../drivers/types";
import { withTimeout } from "../drivers/with-timeout";
import { backoffDelayMs, shouldRetry, type RetryPolicy } from "./backoff";
import { TRANSITIONAL_STATE } from "./create-operation";
import { enqueueJob, machineQueue, RUN_OPERATION_TASK } from "./enqueue";
import { hostDemand, minusDelta, releaseOnHost, reserveOnHost, type HostDelta } from "./host-capacity";
import { lockMachine, moveMachine } from "./machine-transition";
import { placeAndReserve } from "./place-machine";
import { noCapacityReason, type PlacementNeed } from "./placement";
import { applyQuotaDelta, negate, reserveQuotaDelta } from "./quota-delta";
import { releaseMachineResources } from "./release-resources";
import { settleRequest } from "./request-status";
import type { Demand } from "../quotas/impact";

export interface EngineDeps {
  db: Db;
  now: () => Date;
  retry: RetryPolicy;
  log: Logger;
  /** Aborts driver calls when the worker shuts down (they are then retried). */
  signal?: AbortSignal;
  registry?: DriverRegistry;
  /** Per-operation timeout; defaults to operationTimeoutMs(). */
  timeoutMs?: (kind: OperationKind, providerConfig: Record<string, unknown>) => number;
}

export type RunOutcome = "missing" | "skipped" | "succeeded" | "failed" | "retrying" | "cancelled";

const DEFAULT_TIMEOUT_MS: Record<OperationKind, number> = {
  PROVISION: 15 * 60_000,
  START: 5 * 60_000,
  STOP: 5 * 60_000,
  REBOOT: 5 * 60_000,
  RESIZE: 10 * 60_000,
  SNAPSHOT_CREATE: 10 * 60_000,
  SNAPSHOT_REVERT: 10 * 60_000,
  SNAPSHOT_DELETE: 10 * 60_000,
  DELETE: 10 * 60_000,
  CLEANUP: 10 * 60_000,
};

/** ORQ_OPERATION_TIMEOUT_MS wins, then provider.config.timeoutMs (a number or per kind), then the defaults. */
export function operationTimeoutMs(kind: OperationKind, providerConfig: Record<string, unknown>, env: Record<string, string | undefined> = process.env): number {
  const fromEnv = Number(env.ORQ_OPERATION_TIMEOUT_MS);
  if (env.ORQ_OPERATION_TIMEOUT_MS && Number.isFinite(fromEnv) && fromEnv > 0) return fromEnv;
  const t = providerConfig.timeoutMs;
  if (typeof t === "number" && t > 0) return t;
  if (t && typeof t === "object") {
    const v = (t as Record<string, unknown>)[kind];
    if (typeof v === "number" && v > 0) return v;
  }
  return DEFAULT_TIMEOUT_MS[kind];
}

/** The machine states an operation of each kind expects when it starts. */
const EXPECTED: Record<OperationKind, readonly MachineState[]> = {
  PROVISION: ["PROVISIONING"],
  START: ["STARTING"],
  STOP: ["STOPPING"],
  REBOOT: ["REBOOTING"],
  RESIZE: ["RESIZING"],
  SNAPSHOT_CREATE: ["RUNNING", "STOPPED"],
  SNAPSHOT_REVERT: ["RUNNING", "STOPPED"],
  SNAPSHOT_DELETE: ["RUNNING", "STOPPED"],
  DELETE: ["DELETING"],
  CLEANUP: ["FAILED", "DELETED", "DELETING", "RUNNING", "STOPPED"],
};

const FINAL_STATE: Partial<Record<OperationKind, MachineState>> = { START: "RUNNING", STOP: "STOPPED", REBOOT: "RUNNING" };

const TERMINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);

const machineInclude = { offering: true, template: true, provider: true, host: true } satisfies Prisma.MachineInclude;
type LoadedMachine = Prisma.MachineGetPayload<{ include: typeof machineInclude }>;
type LoadedOperation = Prisma.OperationGetPayload<object>;

/** A failure the operation ends with (or retries on), in plain words. */
export class OperationFailure extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly retryable: boolean,
    /** The machine stays as it is (the operation did not apply to it). */
    public readonly keepMachine = false,
  ) {
    super(message);
    this.name = "OperationFailure";
  }
}

/** Maps an error to a failure; null for infrastructure errors that graphile-worker should retry. */
export function classify(err: unknown): OperationFailure | null {
  if (err instanceof OperationFailure) return err;
  if (err instanceof DriverError) return new OperationFailure(`DRIVER_${err.code}`, err.message, err.retryable);
  if (err instanceof AppError && err.code !== "INTERNAL") return new OperationFailure(err.code, err.message, false);
  return null;
}

type Finish = (tx: Tx) => Promise<Record<string, unknown> | void>;

interface OpCtx {
  deps: EngineDeps;
  op: LoadedOperation;
  machine: LoadedMachine;
  params: Record<string, unknown>;
  driver: () => Promise<Driver>;
  call: <T>(what: string, fn: (signal: AbortSignal) => Promise<T>) => Promise<T>;
  progress: (n: number) => Promise<void>;
}

const loadMachine = (db: Db | Tx, id: string) => db.machine.findUniqueOrThrow({ where: { id }, include: machineInclude });

const needOf = (o: { vcpu: number; memoryMb: number; diskGb: number; diskTier: "SSD" | "HDD" }): PlacementNeed => ({
  vcpu: o.vcpu,
  memoryMb: o.memoryMb,
  diskGb: o.diskGb,
  diskTier: o.diskTier,
});

function requireRef(m: LoadedMachine): string {
  if (!m.externalRef || !m.provider) {
    throw new OperationFailure("CONFLICT", "The machine has not been created on a provider yet", false, true);
  }
  return m.externalRef;
}

function requireCapability<K extends keyof Driver>(driver: Driver, capability: "snapshots" | "resize" | "migrate", method: K): NonNullable<Driver[K]> {
  const fn = driver[method];
  if (!driver.capabilities.has(capability) || typeof fn !== "function") {
    throw new DriverError("UNSUPPORTED", `The ${driver.kind} provider does not support ${capability}`, false);
  }
  return (fn as (...a: unknown[]) => unknown).bind(driver) as NonNullable<Driver[K]>;
}

// ---------------------------------------------------------------------------------------------
// Handlers: do the provider work and return what to write when it succeeded.

async function provision(c: OpCtx): Promise<Finish> {
  const { db } = c.deps;
  let m = c.machine;
  if (!m.hostId) {
    const need = needOf(m);
    const placed = await db.$transaction(async (tx) => {
      // Placed by a concurrent run of this job in the meantime: keep that placement.
      const locked = await lockMachine(tx, m.id);
      if (locked.hostId) return { hostId: locked.hostId, hostName: "", hostRef: "", providerId: locked.providerId! };
      const p = await placeAndReserve(tx, { templateId: m.templateId, need, requestId: m.requestId, machineId: m.id });
      if (!p) return null;
      await tx.machine.update({ where: { id: m.id }, data: { hostId: p.hostId, providerId: p.providerId } });
      await tx.operation.update({ where: { id: c.op.id }, data: { progress: 20 } });
      return p;
    });
    if (!placed) throw new OperationFailure("NO_CAPACITY", noCapacityReason(need), false);
    c.deps.log.info({ machineId: m.id, host: placed.hostName }, "machine placed");
    m = await loadMachine(db, m.id);
  }
  const provider = m.provider!;
  const templateRef = await db.templateProviderRef.findUnique({ where: { templateId_providerId: { templateId: m.templateId, providerId: provider.id } } });
  if (!templateRef) throw new OperationFailure("DRIVER_UNSUPPORTED", `Provider ${provider.name} no longer offers template ${m.template.name}`, false);
  const driver = await c.driver();
  await c.progress(40);
  const installation = await installationId(db);
  const dm = await c.call("provision", (signal) =>
    driver.provision(
      {
        machineId: m.id,
        installationId: installation,
        name: m.name,
        vcpu: m.vcpu,
        memoryMb: m.memoryMb,
        diskGb: m.diskGb,
        diskTier: m.diskTier,
        templateRef: templateRef.ref,
        hostRef: m.host ? (m.host.externalRef ?? m.host.name) : null,
        osFamily: m.template.osFamily,
      },
      m.id,
      { signal },
    ),
  );
  return async (tx) => {
    const cur = await lockMachine(tx, m.id);
    const created = { externalRef: dm.ref, ipAddress: dm.ipAddress ?? null };
    if (cur.state !== "PROVISIONING") {
      // Deleted while it was being created: keep the provider's id so the delete removes it.
      await tx.machine.update({ where: { id: m.id }, data: created });
      return { ref: dm.ref, superseded: cur.state };
    }
    await moveMachine(tx, cur, "RUNNING", { ...created, failureCode: null, failureReason: null });
    await notify(tx, m.ownerId, "machine.ready", { machineId: m.id, machineName: m.name }, `/machines/${m.id}`);
    await settleRequest(tx, m.requestId);
    return { ref: dm.ref, hostId: m.hostId };
  };
}

function power(kind: "START" | "STOP" | "REBOOT") {
  return async (c: OpCtx): Promise<Finish> => {
    const ref = requireRef(c.machine);
    const driver = await c.driver();
    await c.call(kind.toLowerCase(), (signal) =>
      kind === "START" ? driver.start(ref, { signal }) : kind === "STOP" ? driver.stop(ref, { signal }) : driver.reboot(ref, { signal }),
    );
    return async (tx) => {
      const cur = await lockMachine(tx, c.machine.id);
      // Finished by a concurrent run of this job already.
      if (cur.state === FINAL_STATE[kind]) return { alreadyDone: true };
      await moveMachine(tx, cur, FINAL_STATE[kind]!);
    };
  };
}

interface ResizePlan {
  fromHostId: string;
  toHostId: string;
  toHostRef: string;
  quotaDelta: Demand;
  hostDelta: HostDelta;
  fromOfferingId: string;
  toOfferingId: string;
}

const resizePlanOf = (op: LoadedOperation): ResizePlan | null => {
  const r = op.result as { resize?: ResizePlan } | null;
  return r?.resize ?? null;
};

async function resize(c: OpCtx): Promise<Finish> {
  const { db } = c.deps;
  const m = c.machine;
  const ref = requireRef(m);
  const targetId = typeof c.params.offeringId === "string" ? c.params.offeringId : "";
  const target = targetId ? await db.offering.findUnique({ where: { id: targetId } }) : null;
  if (!target) throw new OperationFailure("VALIDATION", "The offering to resize to no longer exists", false);
  if (target.diskGb < m.offering.diskGb) throw new OperationFailure("VALIDATION", `A disk cannot shrink (from ${m.offering.diskGb} GB to ${target.diskGb} GB)`, false);
  const driver = await c.driver();
  const resizeCall = requireCapability(driver, "resize", "resize");
  if (!m.hostId) throw new OperationFailure("CONFLICT", "The machine is not placed on a host", false, true);

  // Reserve once: the plan is stored with the reservation, so a retried job reuses it.
  let plan = resizePlanOf(c.op);
  if (!plan) {
    plan = await db.$transaction(async (tx) => {
      await tx.$queryRaw`select id from "Operation" where id = ${c.op.id}::uuid for update`;
      const again = resizePlanOf(await tx.operation.findUniqueOrThrow({ where: { id: c.op.id } }));
      if (again) return again;
      const quotaDelta = resizeDelta(m.offering, target);
      if (!(await reserveQuotaDelta(tx, m.projectId, quotaDelta))) {
        throw new OperationFailure("QUOTA_EXCEEDED", `The project's quota has no room for offering ${target.name}`, false);
      }
      const hostDelta = minusDelta(hostDemand(target), hostDemand(m.offering));
      let toHostId = m.hostId!;
      let toHostRef = m.host ? (m.host.externalRef ?? m.host.name) : "";
      if (!(await reserveOnHost(tx, toHostId, hostDelta, { requireActive: false }))) {
        const p = await placeAndReserve(tx, { templateId: m.templateId, need: needOf(target), providerId: m.providerId!, excludeHostIds: [toHostId] });
        if (!p) {
          throw new OperationFailure(
            "NO_CAPACITY",
            `Host ${m.host?.name ?? ""} has no room for offering ${target.name}, and neither has any other host of provider ${m.provider?.name ?? ""}`,
            false,
          );
        }
        toHostId = p.hostId;
        toHostRef = p.hostRef;
      }
      const planned: ResizePlan = { fromHostId: m.hostId!, toHostId, toHostRef, quotaDelta, hostDelta, fromOfferingId: m.offeringId, toOfferingId: target.id };
      await tx.operation.update({ where: { id: c.op.id }, data: { result: { resize: planned } as unknown as Prisma.InputJsonValue, progress: 30 } });
      return planned;
    });
  }
  const moved = plan.toHostId !== plan.fromHostId;
  if (moved && driver.capabilities.has("migrate") && driver.migrate) {
    const migrate = driver.migrate.bind(driver);
    await c.call("migrate", (signal) => migrate(ref, plan.toHostRef, { signal }));
  }
  await c.progress(60);
  await c.call("resize", (signal) => resizeCall(ref, { vcpu: target.vcpu, memoryMb: target.memoryMb, diskGb: target.diskGb }, { signal }));
  const finalPlan = plan;
  return async (tx) => {
    const cur = await lockMachine(tx, m.id);
    if (cur.state !== "RESIZING" && cur.offeringId === target.id) return { resize: finalPlan, moved, alreadyDone: true };
    if (moved) await releaseOnHost(tx, finalPlan.fromHostId, hostDemand(m.offering));
    const back = c.params.fromState === "STOPPED" ? "STOPPED" : "RUNNING";
    await moveMachine(tx, cur, back, { offeringId: target.id, hostId: finalPlan.toHostId });
    return { resize: finalPlan, moved };
  };
}

/** Gives back what a resize reserved, when it fails. */
async function undoResize(tx: Tx, op: LoadedOperation, projectId: string): Promise<void> {
  const plan = resizePlanOf(op);
  if (!plan) return;
  await applyQuotaDelta(tx, projectId, negate(plan.quotaDelta));
  if (plan.toHostId !== plan.fromHostId) {
    const target = await tx.offering.findUnique({ where: { id: plan.toOfferingId } });
    if (target) await releaseOnHost(tx, plan.toHostId, hostDemand(target));
  } else {
    await releaseOnHost(tx, plan.fromHostId, plan.hostDelta);
  }
}

async function snapshotCreate(c: OpCtx): Promise<Finish> {
  const ref = requireRef(c.machine);
  const name = typeof c.params.name === "string" ? c.params.name : "";
  if (!name) throw new OperationFailure("VALIDATION", "The snapshot has no name", false, true);
  const driver = await c.driver();
  const snap = requireCapability(driver, "snapshots", "snapshot");
  const s = await c.call("snapshot", (signal) => snap(ref, name, { signal }));
  return async (tx) => {
    await tx.snapshot.upsert({
      where: { machineId_name: { machineId: c.machine.id, name } },
      update: { externalRef: s.ref },
      create: { machineId: c.machine.id, name, externalRef: s.ref },
    });
    return { snapshotRef: s.ref };
  };
}

async function snapshotRevertOrDelete(c: OpCtx, kind: "SNAPSHOT_REVERT" | "SNAPSHOT_DELETE"): Promise<Finish> {
  const ref = requireRef(c.machine);
  const snapshotId = typeof c.params.snapshotId === "string" ? c.params.snapshotId : "";
  const snapshot = snapshotId ? await c.deps.db.snapshot.findFirst({ where: { id: snapshotId, machineId: c.machine.id } }) : null;
  if (!snapshot) {
    if (kind === "SNAPSHOT_DELETE") return async () => ({ alreadyGone: true });
    throw new OperationFailure("NOT_FOUND", "The snapshot no longer exists", false, true);
  }
  const driver = await c.driver();
  const snapRef = snapshot.externalRef ?? snapshot.name;
  if (kind === "SNAPSHOT_REVERT") {
    const revert = requireCapability(driver, "snapshots", "revertSnapshot");
    await c.call("revert snapshot", (signal) => revert(ref, snapRef, { signal }));
    return async () => ({ snapshotId });
  }
  const del = requireCapability(driver, "snapshots", "deleteSnapshot");
  await c.call("delete snapshot", (signal) => del(ref, snapRef, { signal }));
  return async (tx) => {
    await tx.snapshot.deleteMany({ where: { id: snapshotId } });
    return { snapshotId };
  };
}

async function destroy(c: OpCtx): Promise<Finish> {
  const m = c.machine;
  if (m.externalRef && m.provider) {
    const driver = await c.driver();
    const ref = m.externalRef;
    await c.call("destroy", (signal) => driver.destroy(ref, { signal }));
  }
  return async (tx) => {
    const cur = await lockMachine(tx, m.id);
    if (cur.state === "DELETED") return { alreadyDone: true };
    const now = c.deps.now();
    await moveMachine(tx, cur, "DELETED", { deletedAt: now });
    await releaseMachineResources(tx, m.id, now);
    await settleRequest(tx, m.requestId);
  };
}

/** Removes a provider resource the machine no longer owns (params.ref), found by reconcile. */
async function cleanup(c: OpCtx): Promise<Finish> {
  const ref = typeof c.params.ref === "string" ? c.params.ref : "";
  if (!ref || ref === c.machine.externalRef) return async () => ({ skipped: true });
  const driver = await c.driver();
  await c.call("destroy", (signal) => driver.destroy(ref, { signal }));
  return async () => ({ removed: ref });
}

const HANDLERS: Record<OperationKind, (c: OpCtx) => Promise<Finish>> = {
  PROVISION: provision,
  START: power("START"),
  STOP: power("STOP"),
  REBOOT: power("REBOOT"),
  RESIZE: resize,
  SNAPSHOT_CREATE: snapshotCreate,
  SNAPSHOT_REVERT: (c) => snapshotRevertOrDelete(c, "SNAPSHOT_REVERT"),
  SNAPSHOT_DELETE: (c) => snapshotRevertOrDelete(c, "SNAPSHOT_DELETE"),
  DELETE: destroy,
  CLEANUP: cleanup,
};

// ---------------------------------------------------------------------------------------------

export async function runOperation(deps: EngineDeps, operationId: string): Promise<RunOutcome> {
  const { db, log } = deps;
  const op0 = await db.operation.findUnique({ where: { id: operationId } });
  if (!op0) {
    log.warn({ operationId }, "operation not found; job dropped");
    return "missing";
  }
  if (TERMINAL.has(op0.status)) return "skipped";

  // Mark it running (and, for a provision, move the machine REQUESTED -> PROVISIONING).
  const started = await db.$transaction(async (tx) => {
    const claimed = await tx.operation.updateMany({
      where: { id: operationId, status: { in: ["QUEUED", "RUNNING"] } },
      data: { status: "RUNNING", attempts: { increment: 1 }, startedAt: op0.startedAt ?? deps.now(), progress: Math.max(op0.progress, 5) },
    });
    if (claimed.count !== 1) return null;
    const m = await tx.machine.findUniqueOrThrow({ where: { id: op0.machineId } });
    if (op0.kind === "PROVISION" && m.state === "REQUESTED") await moveMachine(tx, m, "PROVISIONING");
    return tx.operation.findUniqueOrThrow({ where: { id: operationId } });
  });
  if (!started) return "skipped";
  const op = started;
  const attempt = op.attempts;
  const machine = await loadMachine(db, op.machineId);
  const params = (op.params && typeof op.params === "object" ? op.params : {}) as Record<string, unknown>;
  const opLog = log.child({ operationId, machineId: machine.id, kind: op.kind, attempt });

  if (!EXPECTED[op.kind].includes(machine.state)) {
    if ((machine.state === "DELETING" || machine.state === "DELETED") && op.kind !== "DELETE") {
      await db.operation.update({
        where: { id: operationId },
        data: { status: "CANCELLED", finishedAt: deps.now(), errorCode: "CANCELLED", error: "The machine was deleted before this operation could run" },
      });
      opLog.info("operation cancelled: machine deleted");
      return "cancelled";
    }
    await failOperation(deps, operationId, new OperationFailure("CONFLICT", `The machine is ${machine.state}, so it cannot ${op.kind.toLowerCase().replace(/_/g, " ")}`, false, true), attempt);
    return "failed";
  }

  let driver: Driver | undefined;
  const providerConfig = (machine.provider?.config && typeof machine.provider.config === "object" ? machine.provider.config : {}) as Record<string, unknown>;
  const timeout = (deps.timeoutMs ?? operationTimeoutMs)(op.kind, providerConfig);
  const ctx: OpCtx = {
    deps,
    op,
    machine,
    params,
    driver: async () => {
      if (driver) return driver;
      const m = await loadMachine(db, machine.id);
      if (!m.provider) throw new OperationFailure("CONFLICT", "The machine is not placed on a provider", false, true);
      driver = await driverFor(m.provider, { db }, deps.registry ?? DRIVERS);
      return driver;
    },
    call: async (what, fn) => {
      try {
        return await withTimeout(timeout, fn, { parent: deps.signal, what: `The provider (${what})` });
      } catch (err) {
        if (err instanceof DriverError || err instanceof OperationFailure) throw err;
        // Anything else out of a driver is the provider misbehaving: retry it within the limit.
        throw new DriverError("PROVIDER", `The provider call failed: ${(err as Error)?.message ?? String(err)}`, true);
      }
    },
    progress: async (n) => {
      await db.operation.updateMany({ where: { id: operationId, status: "RUNNING", progress: { lt: n } }, data: { progress: n } });
    },
  };

  try {
    const finish = await HANDLERS[op.kind](ctx);
    await db.$transaction(async (tx) => {
      const result = (await finish(tx)) ?? {};
      await tx.operation.update({
        where: { id: operationId },
        data: { status: "SUCCEEDED", progress: 100, finishedAt: deps.now(), errorCode: null, error: null, result: result as Prisma.InputJsonValue },
      });
    });
    opLog.info("operation succeeded");
    return "succeeded";
  } catch (err) {
    const failure = classify(err);
    if (!failure) throw err;
    if (failure.retryable && shouldRetry(attempt, deps.retry)) {
      const delay = backoffDelayMs(attempt, deps.retry);
      await db.$transaction(async (tx) => {
        await tx.operation.update({
          where: { id: operationId },
          data: {
            status: "QUEUED",
            errorCode: failure.code,
            error: `${failure.message} (attempt ${attempt} of ${deps.retry.maxAttempts}; trying again in ${Math.max(1, Math.round(delay / 1000))} s)`,
          },
        });
        await enqueueJob(tx, RUN_OPERATION_TASK, { operationId }, {
          queueName: machineQueue(op.machineId),
          jobKey: `operation:${operationId}`,
          runAt: new Date(Date.now() + delay),
        });
      });
      opLog.warn({ code: failure.code, delayMs: delay }, `retryable failure: ${failure.message}`);
      return "retrying";
    }
    const final = failure.retryable
      ? new OperationFailure(failure.code, `${failure.message} (gave up after ${attempt} attempts)`, false, failure.keepMachine)
      : failure;
    await failOperation(deps, operationId, final, attempt);
    opLog.warn({ code: final.code }, `operation failed: ${final.message}`);
    return "failed";
  }
}

/**
 * Ends an operation as FAILED: the machine goes back to the state it was in before (or FAILED
 * when it cannot, e.g. a provision), reservations made for it are given back, and the owner
 * is notified.
 */
export async function failOperation(deps: Pick<EngineDeps, "db" | "now">, operationId: string, failure: OperationFailure, attempt?: number): Promise<void> {
  await deps.db.$transaction(async (tx) => {
    const op = await tx.operation.findUniqueOrThrow({ where: { id: operationId } });
    if (TERMINAL.has(op.status)) return;
    const now = deps.now();
    await tx.operation.update({
      where: { id: operationId },
      data: { status: "FAILED", errorCode: failure.code, error: failure.message, finishedAt: now, ...(attempt ? { attempts: attempt } : {}) },
    });
    const m = await tx.machine.findUniqueOrThrow({ where: { id: op.machineId } });
    const params = (op.params ?? {}) as Record<string, unknown>;
    if (!failure.keepMachine) {
      if (op.kind === "PROVISION") {
        if (m.state === "PROVISIONING" || m.state === "REQUESTED") {
          await moveMachine(tx, m, "FAILED", { failureCode: failure.code, failureReason: failure.message });
        }
        if (m.state !== "DELETING") await releaseMachineResources(tx, m.id, now);
        await settleRequest(tx, m.requestId);
      } else {
        if (op.kind === "RESIZE") await undoResize(tx, op, m.projectId);
        const transitional = TRANSITIONAL_STATE[op.kind];
        if (transitional && m.state === transitional) {
          const back = typeof params.fromState === "string" ? (params.fromState as MachineState) : null;
          if (back && canTransition(m.state, back)) await moveMachine(tx, m, back);
          else await moveMachine(tx, m, "FAILED", { failureCode: failure.code, failureReason: failure.message });
        }
      }
    }
    await notify(
      tx,
      m.ownerId,
      "operation.failed",
      { machineId: m.id, machineName: m.name, operation: op.kind, errorCode: failure.code, error: failure.message },
      `/machines/${m.id}`,
    );
  });
}

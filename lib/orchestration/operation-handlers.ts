// The worker side of the operation table: what each kind does on the provider, keyed by the
// same enum as OPERATION_SPECS (a kind without a handler is a compile error). A handler does
// the provider work (through `c.call`, which applies the deadline, the shutdown signal and the
// operation's idempotency key) and returns the finish: the writes to commit with the
// operation's success. State changes are not the handler's business: the engine moves the
// machine as the spec says (run-operation.ts).
import { phaseProgress, type PhaseName } from "./phases";
import type { Logger } from "pino";
import type { Db, Prisma, Tx } from "../db/client";
import type { OperationKind } from "../generated/prisma/enums";
import { driverFor, type DriverRegistry } from "../drivers/registry";
import { DriverError, type CallOptions, type Driver, type DriverMachine } from "../drivers/types";
import type { RetryPolicy } from "./backoff";
import { hostDemand, minusDelta, releaseOnHost, reserveOnHost } from "./host-capacity";
import { lockMachine } from "./machine-transition";
import { placeAndReserve } from "./place-machine";
import { placeNewMachine } from "./place-in-scope";
import { emptyScopeReason, offeringSizeRef } from "./provider-scope";
import { noCapacityReason, type PlacementNeed } from "./placement";
import { reserveQuotaDelta } from "./quota-delta";
import { resizePlanOf, type ResizePlan } from "./compensations";
import { installationId } from "../installation/installation-id";
import type { OperationSpec } from "./operation-specs";
import { OperationFailure } from "./operation-failure";
import { haRestart, migrate } from "../operations/move-handlers";
import { backup, restore } from "../backups/backup-handlers";
import { provisionFromBackup } from "../backups/provision-from-backup";
import { reservationOf, type Reservation } from "../machines/reservation";
import type { Demand } from "../quotas/impact";
import { provisionAccess } from "../access/provision-access";

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

export const machineInclude = { template: true, provider: true, host: true } satisfies Prisma.MachineInclude;
export type LoadedMachine = Prisma.MachineGetPayload<{ include: typeof machineInclude }>;
export type LoadedOperation = Prisma.OperationGetPayload<object>;

export const loadMachine = (db: Db | Tx, id: string) => db.machine.findUniqueOrThrow({ where: { id }, include: machineInclude });

/**
 * loadMachine for a machine row the caller read already (the engine's claim locked it): its
 * template, and its provider and host only when it has them (an unplaced machine costs one
 * statement, not four: issue 9).
 */
export async function withRelations(db: Db | Tx, m: Prisma.MachineGetPayload<object>): Promise<LoadedMachine> {
  const [template, provider, host] = await Promise.all([
    db.template.findUniqueOrThrow({ where: { id: m.templateId } }),
    m.providerId ? db.provider.findUnique({ where: { id: m.providerId } }) : null,
    m.hostId ? db.host.findUnique({ where: { id: m.hostId } }) : null,
  ]);
  return { ...m, template, provider, host };
}

export { OperationFailure } from "./operation-failure";

export interface FinishResult {
  /** Machine columns to write (whatever its state: a superseded operation still records what it did). */
  data?: Prisma.MachineUncheckedUpdateManyInput;
  /** Stored as Operation.result. */
  result?: Record<string, unknown>;
  /** More writes, told whether the engine moved the machine to the spec's success state. */
  after?: (tx: Tx, moved: boolean) => Promise<void>;
}

/** Runs in the transaction that marks the operation SUCCEEDED; `cur` is the machine, locked. */
export type Finish = (tx: Tx, cur: Prisma.MachineGetPayload<object>) => Promise<FinishResult>;

export interface HandlerCtx {
  deps: EngineDeps;
  op: LoadedOperation;
  spec: OperationSpec;
  machine: LoadedMachine;
  params: Record<string, unknown>;
  /** The machine's provider driver, built once per attempt and closed by the engine. */
  driver: () => Promise<Driver>;
  /** A provider call under the operation's deadline, with its idempotency key. */
  call: <T>(what: string, fn: (opts: CallOptions) => Promise<T>) => Promise<T>;
  progress: (n: number) => Promise<void>;
  /** The phase that starts now (lib/orchestration/phases.ts): written for the machine page. */
  phase: (name: PhaseName) => Promise<void>;
}

export type OperationHandler = (c: HandlerCtx) => Promise<Finish>;

const needOf = (r: Reservation): PlacementNeed => ({ vcpu: r.vcpu, memoryMb: r.memoryMb, diskGb: r.diskGb, diskTier: r.diskTier });

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

/**
 * The provider resource tagged with this machine's id, when this installation made it (a
 * resource tagged by another installation sharing the provider is never ours to remove).
 */
export async function findOwned(driver: Driver, machineId: string, opts: CallOptions, db: Db): Promise<DriverMachine | null> {
  const found = await driver.findByMachineId(machineId, opts);
  if (!found) return null;
  return !found.installationId || found.installationId === (await installationId(db)) ? found : null;
}

// ---------------------------------------------------------------------------------------------

const provision: OperationHandler = async (c) => {
  const { db } = c.deps;
  let m = c.machine;
  // Which provider the project's placement policy chose, and why (kept on the operation).
  let placement: Record<string, unknown> | undefined;
  // Placed by this run: the placement wrote the "creating" phase already.
  let placedNow = false;
  if (!m.hostId) {
    const need = needOf(m);
    let unplaceable = noCapacityReason(need);
    const placed = await db.$transaction(async (tx) => {
      // Placed by a concurrent run of this job in the meantime: keep that placement.
      const locked = await lockMachine(tx, m.id);
      if (locked.hostId) return { hostId: locked.hostId, hostName: "", hostRef: "", providerId: locked.providerId! };
      // A machine restored from a backup stays on the backup's provider (it was created with it).
      let p: Awaited<ReturnType<typeof placeAndReserve>>;
      if (locked.providerId) {
        p = await placeAndReserve(tx, { templateId: m.templateId, need, requestId: m.requestId, machineId: m.id, providerId: locked.providerId });
      } else {
        // Only where the project and the request's placement target allow, and only providers
        // that have the template's image and (on clouds) a size for the offering.
        const placedInScope = await placeNewMachine(tx, m, need, c.deps.now());
        const scope = placedInScope.scope;
        p = placedInScope.placement;
        if (!p && !scope.ids.length) {
          const [offering, target] = await Promise.all([
            tx.offering.findUnique({ where: { id: m.offeringId }, select: { name: true } }),
            scope.choice.providerId ? tx.provider.findUnique({ where: { id: scope.choice.providerId }, select: { name: true } }) : null,
          ]);
          unplaceable = emptyScopeReason(scope.choice, { offering: offering?.name ?? m.offeringId, template: m.template.name, provider: target?.name });
        }
      }
      if (!p) return null;
      if (p.reason) placement = { ...p.reason, hostId: p.hostId, hostName: p.hostName };
      const result = placement ? { ...((c.op.result as object | null) ?? {}), placement } : null;
      // The machine's host and provider, the operation's progress (and why it went there), and
      // the next phase ("creating": placing is over) in one statement: raw SQL, no ORM planning
      // on the provisioning hot path (issue 9). The phase is written, as ctx.phase does, only by
      // the run holding this attempt. updatedAt as Prisma's @updatedAt writes it (UTC).
      const creating = phaseProgress("PROVISION", "creating");
      await tx.$executeRaw`
        with m as (
          update "Machine" set "hostId" = ${p.hostId}::uuid, "providerId" = ${p.providerId}::uuid, "updatedAt" = (now() at time zone 'utc')
          where id = ${m.id}::uuid
        )
        update "Operation" o set result = coalesce(${result === null ? null : JSON.stringify(result)}::jsonb, o.result),
          progress = case when o.status = 'RUNNING' and o.attempts = ${c.op.attempts}::int then greatest(o.progress, 20, ${creating.percent}::int) else 20 end,
          phase = case when o.status = 'RUNNING' and o.attempts = ${c.op.attempts}::int then 'creating' else o.phase end,
          "phaseStep" = case when o.status = 'RUNNING' and o.attempts = ${c.op.attempts}::int then ${creating.step}::int else o."phaseStep" end,
          "phaseSteps" = case when o.status = 'RUNNING' and o.attempts = ${c.op.attempts}::int then ${creating.steps}::int else o."phaseSteps" end
        where o.id = ${c.op.id}::uuid`;
      placedNow = true;
      return p;
      // Siblings of a big request queue for its placement lock: room beyond the 5 s default.
    }, { maxWait: 10_000, timeout: 30_000 });
    if (!placed) throw new OperationFailure("NO_CAPACITY", unplaceable, false);
    c.deps.log.info({ machineId: m.id, host: placed.hostName }, "machine placed");
    // The placed machine: only its provider and host are new (two reads, not loadMachine's four).
    const [provider, host] = await Promise.all([
      db.provider.findUniqueOrThrow({ where: { id: placed.providerId } }),
      db.host.findUnique({ where: { id: placed.hostId } }),
    ]);
    m = { ...m, hostId: placed.hostId, providerId: placed.providerId, provider, host };
    // The engine builds the driver from this (placed) machine rather than reading it again.
    c.machine = m;
  }
  const provider = m.provider!;
  // A restore to a new machine: created from the backup's image instead of the template.
  if (typeof c.params.fromBackupId === "string") return provisionFromBackup(c, m, c.params.fromBackupId);
  const templateRef = await db.templateProviderRef.findUnique({ where: { templateId_providerId: { templateId: m.templateId, providerId: provider.id } } });
  if (!templateRef) throw new OperationFailure("DRIVER_UNSUPPORTED", `Provider ${provider.name} no longer offers template ${m.template.name}`, false);
  const sizeRef = await offeringSizeRef(db, provider, m.offeringId);
  if (sizeRef === null) throw new OperationFailure("DRIVER_UNSUPPORTED", `Provider ${provider.name} has no size for the machine's offering (set it under Offering sizes)`, false);
  const driver = await c.driver();
  if (!placedNow) await c.phase("creating");
  const installation = await installationId(db);
  // Cloud-init: the template's user data + the requester's chosen SSH keys + the hostname.
  const access = await provisionAccess(db, m, provider.kind, provider.endpoint, m.template);
  const dm = await c.call("provision", (opts) =>
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
        sizeRef,
        userData: access.userData,
        sshKeys: access.sshKeys,
      },
      c.spec.idempotencyKey(c.op),
      opts,
    ),
  );
  return async () => ({
    // Written even when the machine was deleted meanwhile: the delete then removes it by ref.
    data: { externalRef: dm.ref, ipAddress: dm.ipAddress ?? null, failureCode: null, failureReason: null, access: { ...access.access } },
    result: { ref: dm.ref, hostId: m.hostId, ...(placement ? { placement } : {}) },
  });
};

const power =
  (kind: "START" | "STOP" | "REBOOT"): OperationHandler =>
  async (c) => {
    const ref = requireRef(c.machine);
    const driver = await c.driver();
    await c.call(kind.toLowerCase(), (opts) => (kind === "START" ? driver.start(ref, opts) : kind === "STOP" ? driver.stop(ref, opts) : driver.reboot(ref, opts)));
    return async () => ({});
  };

/** The target a resize was promised at request time (params.to), else the offering as it is now. */
async function resizeTarget(db: Db, params: Record<string, unknown>): Promise<{ offeringId: string; name: string; to: Reservation } | null> {
  const offeringId = typeof params.offeringId === "string" ? params.offeringId : "";
  const offering = offeringId ? await db.offering.findUnique({ where: { id: offeringId } }) : null;
  const promised = params.to as Reservation | undefined;
  if (promised && typeof promised.vcpu === "number") return { offeringId, name: offering?.name ?? "the new offering", to: promised };
  if (!offering) return null;
  return { offeringId, name: offering.name, to: reservationOf(offering) };
}

const resize: OperationHandler = async (c) => {
  const { db } = c.deps;
  const m = c.machine;
  const ref = requireRef(m);
  const target = await resizeTarget(db, c.params);
  if (!target) throw new OperationFailure("VALIDATION", "The offering to resize to no longer exists", false);
  if (target.to.diskGb < m.diskGb) throw new OperationFailure("VALIDATION", `A disk cannot shrink (from ${m.diskGb} GB to ${target.to.diskGb} GB)`, false);
  const driver = await c.driver();
  const resizeCall = requireCapability(driver, "resize", "resize");
  if (!m.hostId) throw new OperationFailure("CONFLICT", "The machine is not placed on a host", false, true);
  // On a cloud that sells sizes, the new offering needs one there (checked before reserving).
  const sizeRef = m.provider ? await offeringSizeRef(db, m.provider, target.offeringId) : undefined;
  if (sizeRef === null) throw new OperationFailure("VALIDATION", `Provider ${m.provider?.name ?? ""} has no size for offering ${target.name}`, false, true);

  // Reserve once: the plan is stored with the reservation, so a retried job reuses it.
  let plan = resizePlanOf(c.op);
  if (!plan) {
    plan = await db.$transaction(async (tx) => {
      await tx.$queryRaw`select id from "Operation" where id = ${c.op.id}::uuid for update`;
      const again = resizePlanOf(await tx.operation.findUniqueOrThrow({ where: { id: c.op.id } }));
      if (again) return again;
      const from: Reservation = m;
      const quotaDelta: Demand = {
        vcpu: target.to.vcpu - from.vcpu,
        memoryMb: target.to.memoryMb - from.memoryMb,
        diskSsdGb: (target.to.diskTier === "SSD" ? target.to.diskGb : 0) - (from.diskTier === "SSD" ? from.diskGb : 0),
        diskHddGb: (target.to.diskTier === "HDD" ? target.to.diskGb : 0) - (from.diskTier === "HDD" ? from.diskGb : 0),
        machines: 0,
        monthlyCents: target.to.monthlyCents - from.monthlyCents,
      };
      if (!(await reserveQuotaDelta(tx, m.projectId, quotaDelta))) {
        throw new OperationFailure("QUOTA_EXCEEDED", `The project's quota has no room for offering ${target.name}`, false);
      }
      const hostDelta = minusDelta(hostDemand(target.to), hostDemand(from));
      let toHostId = m.hostId!;
      let toHostRef = m.host ? (m.host.externalRef ?? m.host.name) : "";
      if (!(await reserveOnHost(tx, toHostId, hostDelta, { requireActive: false }))) {
        const p = await placeAndReserve(tx, { templateId: m.templateId, need: needOf(target.to), providerId: m.providerId!, excludeHostIds: [toHostId] });
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
      const planned: ResizePlan = {
        fromHostId: m.hostId!,
        toHostId,
        toHostRef,
        quotaDelta,
        hostDelta,
        fromOfferingId: m.offeringId,
        toOfferingId: target.offeringId,
        to: target.to,
      };
      await tx.operation.update({ where: { id: c.op.id }, data: { result: { resize: planned } as unknown as Prisma.InputJsonValue, progress: 30 } });
      return planned;
    });
  }
  const moved = plan.toHostId !== plan.fromHostId;
  if (moved && driver.capabilities.has("migrate") && driver.migrate) {
    const migrate = driver.migrate.bind(driver);
    await c.phase("migrating");
    await c.call("migrate", (opts) => migrate(ref, plan.toHostRef, opts));
  }
  await c.phase("resizing");
  await c.call("resize", (opts) => resizeCall(ref, { vcpu: plan.to.vcpu, memoryMb: plan.to.memoryMb, diskGb: plan.to.diskGb, sizeRef }, opts));
  const finalPlan = plan;
  return async (tx, cur) => {
    // The old size leaves the old host (the new one was reserved whole on the target).
    if (moved) await releaseOnHost(tx, finalPlan.fromHostId, hostDemand(cur));
    return { data: { offeringId: finalPlan.toOfferingId, hostId: finalPlan.toHostId, ...finalPlan.to }, result: { resize: finalPlan, moved } };
  };
};

const snapshotCreate: OperationHandler = async (c) => {
  const ref = requireRef(c.machine);
  const name = typeof c.params.name === "string" ? c.params.name : "";
  if (!name) throw new OperationFailure("VALIDATION", "The snapshot has no name", false, true);
  const driver = await c.driver();
  const snap = requireCapability(driver, "snapshots", "snapshot");
  const s = await c.call("snapshot", (opts) => snap(ref, name, opts));
  return async (tx) => {
    await tx.snapshot.upsert({
      where: { machineId_name: { machineId: c.machine.id, name } },
      update: { externalRef: s.ref },
      create: { machineId: c.machine.id, name, externalRef: s.ref },
    });
    return { result: { snapshotRef: s.ref } };
  };
};

const snapshotRevertOrDelete =
  (kind: "SNAPSHOT_REVERT" | "SNAPSHOT_DELETE"): OperationHandler =>
  async (c) => {
    const ref = requireRef(c.machine);
    const snapshotId = typeof c.params.snapshotId === "string" ? c.params.snapshotId : "";
    const snapshot = snapshotId ? await c.deps.db.snapshot.findFirst({ where: { id: snapshotId, machineId: c.machine.id } }) : null;
    if (!snapshot) {
      if (kind === "SNAPSHOT_DELETE") return async () => ({ result: { alreadyGone: true } });
      throw new OperationFailure("NOT_FOUND", "The snapshot no longer exists", false, true);
    }
    const driver = await c.driver();
    const snapRef = snapshot.externalRef ?? snapshot.name;
    if (kind === "SNAPSHOT_REVERT") {
      const revert = requireCapability(driver, "snapshots", "revertSnapshot");
      await c.call("revert snapshot", (opts) => revert(ref, snapRef, opts));
      return async () => ({ result: { snapshotId } });
    }
    const del = requireCapability(driver, "snapshots", "deleteSnapshot");
    await c.call("delete snapshot", (opts) => del(ref, snapRef, opts));
    return async (tx) => {
      await tx.snapshot.deleteMany({ where: { id: snapshotId } });
      return { result: { snapshotId } };
    };
  };

const destroy: OperationHandler = async (c) => {
  const m = c.machine;
  let removed: string | null = null;
  if (m.provider) {
    const driver = await c.driver();
    // The provider's id, or, when a provision timed out after creating the resource and the
    // id was never written, the resource found by its ownership tag.
    const ref = m.externalRef ?? (await c.call("find by ownership tag", (opts) => findOwned(driver, m.id, opts, c.deps.db)))?.ref ?? null;
    if (ref) {
      await c.phase("destroying");
      await c.call("destroy", (opts) => driver.destroy(ref, opts));
      removed = ref;
    }
  }
  return async () => ({ data: { deletedAt: c.deps.now() }, result: { removed } });
};

/**
 * Removes a provider resource the machine does not own: params.ref (on params.providerId, when
 * the copy is on another provider than the machine's), or the one tagged with its id. A
 * resource the machine does own (its externalRef, machine not deleted) is kept.
 */
const cleanup: OperationHandler = async (c) => {
  const m = c.machine;
  const elsewhere = typeof c.params.providerId === "string" && c.params.providerId !== m.providerId ? c.params.providerId : null;
  if (!m.provider && !elsewhere) return async () => ({ result: { removed: null, reason: "not placed" } });
  let own: Driver | undefined;
  try {
    let driver: Driver;
    if (elsewhere) {
      const provider = await c.deps.db.provider.findUnique({ where: { id: elsewhere } });
      if (!provider) return async () => ({ result: { removed: null, reason: "provider removed" } });
      own = await driverFor(provider, { db: c.deps.db });
      driver = own;
    } else {
      driver = await c.driver();
    }
    const d = driver;
    const ref =
      (typeof c.params.ref === "string" && c.params.ref) || (await c.call("find by ownership tag", (opts) => findOwned(d, m.id, opts, c.deps.db)))?.ref || null;
    const current = await c.deps.db.machine.findUniqueOrThrow({ where: { id: m.id } });
    if (!ref || (!elsewhere && ref === current.externalRef && current.state !== "DELETED")) {
      return async () => ({ result: { removed: null } });
    }
    await c.call("destroy", (opts) => d.destroy(ref, opts));
    return async () => ({ result: { removed: ref, providerId: elsewhere ?? m.providerId } });
  } finally {
    await own?.close?.().catch(() => {});
  }
};

export const OPERATION_HANDLERS: Record<OperationKind, OperationHandler> = {
  PROVISION: provision,
  START: power("START"),
  STOP: power("STOP"),
  REBOOT: power("REBOOT"),
  RESIZE: resize,
  SNAPSHOT_CREATE: snapshotCreate,
  SNAPSHOT_REVERT: snapshotRevertOrDelete("SNAPSHOT_REVERT"),
  SNAPSHOT_DELETE: snapshotRevertOrDelete("SNAPSHOT_DELETE"),
  DELETE: destroy,
  CLEANUP: cleanup,
  MIGRATE: migrate,
  HA_RESTART: haRestart,
  BACKUP: backup,
  RESTORE: restore,
};

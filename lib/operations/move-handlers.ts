// Worker handlers of the operations that move a machine to another host of its provider:
// MIGRATE (a host drain, or an administrator) and HA_RESTART (its host failed and was fenced).
// Both reserve the target host first, in one transaction that stores the plan on the operation
// (result.move), so a retried job reuses it and a failure gives it back (compensations.ts);
// the success transaction releases the source host. While it moves, the machine is counted on
// both hosts: no host ever holds more than its overcommit ratios allow.
import type { Prisma } from "../db/client";
import { DriverError, type Driver } from "../drivers/types";
import type { HandlerCtx, LoadedMachine, OperationHandler } from "../orchestration/operation-handlers";
import { OperationFailure } from "../orchestration/operation-failure";
import { movePlanOf, type MovePlan } from "../orchestration/compensations";
import { hostDemand, releaseOnHost, reserveOnHost } from "../orchestration/host-capacity";
import { placeAndReserve } from "../orchestration/place-machine";
import { noCapacityReason } from "../orchestration/placement";
import { enqueueDrainTick } from "../maintenance/drain-jobs";
import { notify } from "../notifications/notify";

function placed(m: LoadedMachine): { ref: string; hostId: string; providerId: string } {
  if (!m.externalRef || !m.hostId || !m.providerId) {
    throw new OperationFailure("CONFLICT", "The machine is not placed on a host of a provider", false, true);
  }
  return { ref: m.externalRef, hostId: m.hostId, providerId: m.providerId };
}

/**
 * Reserves the machine's size on the target (the host asked for, else the best host of its
 * provider other than its own) and stores the plan on the operation, once: a retry finds it.
 */
async function reserveMove(c: HandlerCtx, mode: MovePlan["mode"], excludeHostIds: string[]): Promise<MovePlan> {
  const existing = movePlanOf(c.op);
  if (existing) return existing;
  const m = c.machine;
  const { hostId, providerId } = placed(m);
  const reserved = hostDemand(m);
  return c.deps.db.$transaction(async (tx) => {
    await tx.$queryRaw`select id from "Operation" where id = ${c.op.id}::uuid for update`;
    const again = movePlanOf(await tx.operation.findUniqueOrThrow({ where: { id: c.op.id } }));
    if (again) return again;
    let target: { hostId: string; hostRef: string } | null = null;
    const asked = typeof c.params.toHostId === "string" ? c.params.toHostId : null;
    if (asked) {
      const host = await tx.host.findFirst({ where: { id: asked, providerId } });
      if (!host || host.id === hostId) throw new OperationFailure("VALIDATION", "The target host is not another host of the machine's provider", false, true);
      if (!(await reserveOnHost(tx, host.id, reserved))) {
        throw new OperationFailure("NO_CAPACITY", `Host ${host.name} is not active or has no room for this machine`, false, true);
      }
      target = { hostId: host.id, hostRef: host.externalRef ?? host.name };
    } else {
      const p = await placeAndReserve(tx, { templateId: m.templateId, need: m, providerId, excludeHostIds: [hostId, ...excludeHostIds], machineId: m.id });
      if (p) target = { hostId: p.hostId, hostRef: p.hostRef };
    }
    if (!target) {
      throw new OperationFailure("NO_CAPACITY", `${noCapacityReason(m)} (among the other hosts of provider ${m.provider?.name ?? ""})`, false, true);
    }
    const plan: MovePlan = { fromHostId: hostId, toHostId: target.hostId, toHostRef: target.hostRef, mode, reserved };
    const result = { ...((c.op.result as object | null) ?? {}), move: plan } as unknown as Prisma.InputJsonValue;
    await tx.operation.update({ where: { id: c.op.id }, data: { result, progress: 20 } });
    return plan;
  });
}

function need<K extends "migrate" | "recoverOn" | "fenceHost">(driver: Driver, capability: "migrate" | "ha", method: K): NonNullable<Driver[K]> {
  const fn = driver[method];
  if (!driver.capabilities.has(capability) || typeof fn !== "function") {
    throw new DriverError("UNSUPPORTED", `The ${driver.kind} provider cannot ${capability === "ha" ? "restart machines of a failed host" : "move machines between hosts"}`, false);
  }
  return (fn as (...a: unknown[]) => unknown).bind(driver) as NonNullable<Driver[K]>;
}

/** Where the driver says the machine is (null when it cannot tell). */
async function whereIs(c: HandlerCtx, driver: Driver, ref: string) {
  try {
    return await c.call("get machine", (o) => driver.getMachine(ref, o));
  } catch (err) {
    if (err instanceof DriverError && err.code === "NOT_FOUND") throw err;
    return null;
  }
}

export const migrate: OperationHandler = async (c) => {
  const m = c.machine;
  const { ref } = placed(m);
  const driver = await c.driver();
  const move = need(driver, "migrate", "migrate");
  const from = c.params.fromState === "RUNNING" ? "RUNNING" : "STOPPED";
  const mode: MovePlan["mode"] = from === "STOPPED" ? "offline" : driver.capabilities.has("liveMigrate") ? "live" : "cold";
  const plan = await reserveMove(c, mode, []);
  const now = await whereIs(c, driver, ref);
  if (!now || now.hostRef !== plan.toHostRef) {
    // Cold: the owner's stop window was checked when the drain queued this operation.
    if (plan.mode === "cold" && now?.state !== "STOPPED") await c.call("stop", (o) => driver.stop(ref, o));
    await c.progress(50);
    await c.call("migrate", (o) => move(ref, plan.toHostRef, o));
  }
  await c.progress(80);
  if (plan.mode === "cold") {
    const after = await whereIs(c, driver, ref);
    if (after?.state !== "RUNNING") await c.call("start", (o) => driver.start(ref, o));
  }
  const drainId = typeof c.params.drainId === "string" ? c.params.drainId : null;
  return async (tx, cur) => {
    await releaseOnHost(tx, plan.fromHostId, hostDemand(cur));
    return {
      data: { hostId: plan.toHostId },
      result: { move: plan, mode: plan.mode },
      after: async (t) => {
        if (drainId) await enqueueDrainTick(t, drainId, plan.fromHostId);
      },
    };
  };
};

export const haRestart: OperationHandler = async (c) => {
  const { db } = c.deps;
  const m = c.machine;
  const { ref, hostId } = placed(m);
  const incidentId = typeof c.params.incidentId === "string" ? c.params.incidentId : "";
  const incident = incidentId ? await db.hostIncident.findUnique({ where: { id: incidentId }, include: { host: true } }) : null;
  if (!incident) throw new OperationFailure("NOT_FOUND", "The host failure this restart belongs to no longer exists", false, true);
  // Never restart a machine whose old host may still run it.
  if (!incident.fencedAt) throw new OperationFailure("DRIVER_UNAVAILABLE", `Waiting for host ${incident.host.name} to be fenced`, true);
  if (hostId !== incident.hostId && !movePlanOf(c.op)) throw new OperationFailure("CONFLICT", "The machine is no longer on the failed host", false, true);
  const driver = await c.driver();
  const recover = need(driver, "ha", "recoverOn");
  const plan = await reserveMove(c, "recover", [incident.hostId]);
  await c.progress(50);
  await c.call("restart on another host", (o) => recover(ref, plan.toHostRef, o));
  return async (tx, cur) => {
    await releaseOnHost(tx, plan.fromHostId, hostDemand(cur));
    return {
      data: { hostId: plan.toHostId, failureCode: null, failureReason: null, drifted: false, driftReason: null },
      result: { move: plan, mode: plan.mode },
      after: async (t, moved) => {
        if (moved) await notify(t, cur.ownerId, "machine.haRestarted", { machineName: cur.name, hostName: incident.host.name }, `/machines/${cur.id}`);
      },
    };
  };
};

// What an operation gives back when it ends without succeeding (failed for good, or cancelled
// while queued): reservations it made on the way. Runs in the transaction that ends the
// operation, so the counters move exactly when the operation's end is committed. Shared by
// the worker and the web side (a DELETE cancels what is queued), so no driver code here.
import type { Prisma, Tx } from "../db/client";
import type { Demand } from "../quotas/impact";
import type { Reservation } from "../machines/reservation";
import { hostDemand, releaseOnHost, type HostDelta } from "./host-capacity";
import { applyQuotaDelta, negate } from "./quota-delta";

/** A resize's reservation, stored on its operation (result.resize) when it is made. */
export interface ResizePlan {
  fromHostId: string;
  toHostId: string;
  toHostRef: string;
  quotaDelta: Demand;
  hostDelta: HostDelta;
  fromOfferingId: string;
  toOfferingId: string;
  /** What the machine reserves after the resize (the facts promised at request time). */
  to: Reservation;
}

export const resizePlanOf = (op: { result: Prisma.JsonValue | null }): ResizePlan | null => {
  const r = op.result as { resize?: ResizePlan } | null;
  return r?.resize ?? null;
};

/** Gives back what a resize reserved (it did not happen). */
export async function undoResize(tx: Tx, op: { result: Prisma.JsonValue | null }, projectId: string): Promise<void> {
  const plan = resizePlanOf(op);
  if (!plan) return;
  await applyQuotaDelta(tx, projectId, negate(plan.quotaDelta));
  if (plan.toHostId !== plan.fromHostId) {
    // Moving: the whole new size was reserved on the target host.
    await releaseOnHost(tx, plan.toHostId, hostDemand(plan.to));
  } else {
    await releaseOnHost(tx, plan.fromHostId, plan.hostDelta);
  }
}

/** A move's reservation (MIGRATE, HA_RESTART), stored on its operation (result.move) when made. */
export interface MovePlan {
  fromHostId: string;
  toHostId: string;
  toHostRef: string;
  /** live: moved running; cold: stopped, moved, started; offline: moved while stopped; recover: HA restart. */
  mode: "live" | "cold" | "offline" | "recover";
  /** What was reserved on the target (the machine's reservation when planned). */
  reserved: HostDelta;
}

export const movePlanOf = (op: { result: Prisma.JsonValue | null }): MovePlan | null => {
  const r = op.result as { move?: MovePlan } | null;
  return r?.move ?? null;
};

/** Undoes what an operation reserved, when it ends without success. */
export async function compensate(
  tx: Tx,
  op: { id?: string; kind: string; result: Prisma.JsonValue | null },
  machine: { projectId: string },
  reason?: string,
): Promise<void> {
  if (op.kind === "RESIZE") await undoResize(tx, op, machine.projectId);
  if (op.kind === "MIGRATE" || op.kind === "HA_RESTART") {
    // The machine stays where it was: the target's reservation is given back.
    const plan = movePlanOf(op);
    if (plan) await releaseOnHost(tx, plan.toHostId, plan.reserved);
  }
  if (op.kind === "BACKUP" && op.id) {
    await tx.backup.updateMany({
      where: { operationId: op.id, status: { in: ["PENDING", "RUNNING"] } },
      data: { status: "FAILED", error: reason ?? "The backup did not complete", completedAt: new Date() },
    });
  }
}

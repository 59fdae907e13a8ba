// The approval core, shared by an approver's decision (approve-request.ts) and automatic
// approval at submission (submit-request.ts). Runs inside the caller's transaction: the
// status change, the quota reservation, the machines, their operations and jobs, the audit
// event and the notification commit together or not at all.
import "server-only";
import type { Tx } from "../db/client";
import type { Ctx } from "../context";
import { conflict } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { notify } from "../notifications/notify";
import { enqueueMachines } from "../orchestration/enqueue";
import { demandOf } from "../quotas/impact";
import { reserveQuota } from "../quotas/reserve-quota";
import { reservationOf } from "../machines/reservation";
import { requestDecided } from "../events/request-events";

/** Interactive transactions that approve wait on the project row: give them room. */
export const APPROVAL_TX_OPTIONS = { maxWait: 15_000, timeout: 30_000 } as const;

export interface ApprovableRequest {
  id: string;
  number: number;
  projectId: string;
  requesterId: string;
  offeringId: string;
  templateId: string;
  quantity: number;
  names: string[];
  leaseEndsAt: Date | null;
  monthlyCostCents: number;
}

export interface ApprovalResult {
  requestId: string;
  machineIds: string[];
  operationIds: string[];
}

export async function approveInTx(
  tx: Tx,
  ctx: Pick<Ctx, "actor" | "correlationId" | "now">,
  request: ApprovableRequest,
  opts: { decidedById: string | null; autoApproved: boolean },
): Promise<ApprovalResult> {
  const decidedAt = ctx.now();
  // Conditional status change: of two concurrent decisions exactly one sees the pending row.
  const changed = await tx.request.updateMany({
    where: { id: request.id, status: "PENDING_APPROVAL" },
    data: { status: "APPROVED", decidedById: opts.decidedById, decidedAt, autoApproved: opts.autoApproved },
  });
  if (changed.count === 0) throw conflict("This request has already been decided", { reason: "ALREADY_DECIDED" });

  const offering = await tx.offering.findUniqueOrThrow({ where: { id: request.offeringId } });
  // Each machine stores what it reserves: its share of the cost fixed at submission (the
  // remainder of an uneven split goes to the first machines, so the shares sum exactly).
  const base = Math.floor(request.monthlyCostCents / request.quantity);
  const extra = request.monthlyCostCents - base * request.quantity;

  const machines = await tx.machine.createManyAndReturn({
    data: request.names.map((name, i) => ({
      ...reservationOf(offering, base + (i < extra ? 1 : 0)),
      projectId: request.projectId,
      requestId: request.id,
      ownerId: request.requesterId,
      offeringId: request.offeringId,
      templateId: request.templateId,
      name,
      state: "REQUESTED" as const,
      leaseEndsAt: request.leaseEndsAt,
    })),
    select: { id: true, name: true },
  });
  const operations = await tx.operation.createManyAndReturn({
    data: machines.map((m) => ({
      machineId: m.id,
      kind: "PROVISION" as const,
      status: "QUEUED" as const,
      requestedById: opts.decidedById ?? request.requesterId,
      params: { fromState: "REQUESTED" },
    })),
    select: { id: true, machineId: true },
  });
  // One statement for every machine's job (graphile-worker's add_jobs), not one per machine.
  await enqueueMachines(tx, operations.map((o) => o.machineId));

  await recordAudit(tx, ctx, {
    action: opts.autoApproved ? "request.auto_approve" : "request.approve",
    targetType: "Request",
    targetId: request.id,
    projectId: request.projectId,
    before: { status: "PENDING_APPROVAL" },
    after: { status: "APPROVED", autoApproved: opts.autoApproved, machines: machines.map((m) => ({ id: m.id, name: m.name })) },
  });
  await notify(
    tx,
    request.requesterId,
    "request.approved",
    { requestNumber: request.number, quantity: request.quantity, names: request.names.join(", ") },
    `/requests/${request.number}`,
  );

  await requestDecided(tx, request, { status: "APPROVED", decidedById: opts.decidedById, reason: null, autoApproved: opts.autoApproved, machineIds: machines.map((m) => m.id) });

  // Last, so the project row stays locked only until commit. The budget counts the cost
  // fixed at submission. On QUOTA_EXCEEDED the caller's transaction rolls everything back.
  const demand = demandOf(offering, request.quantity, request.monthlyCostCents);
  await reserveQuota(tx, request.projectId, demand, offering, request.quantity);

  return { requestId: request.id, machineIds: machines.map((m) => m.id), operationIds: operations.map((o) => o.id) };
}

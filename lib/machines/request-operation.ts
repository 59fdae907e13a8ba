// The one path every day-2 request takes (DEVELOPERS.md "Operations contract"): load the
// machine as the actor may see it, check permission, project policy, driver capability and
// the state machine, then in ONE transaction move the machine (version-checked), create the
// Operation, enqueue its job and write the audit event. Nothing is written when any check fails.
import "server-only";
import type { Ctx } from "../context";
import type { Prisma, Tx } from "../db/client";
import { createOperation } from "../orchestration/create-operation";
import { assertCan, can } from "../auth/permissions";
import { AppError, conflict, forbidden, notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { OPERATION_SPECS } from "../orchestration/operation-specs";
import { whyUnavailable, type Day2Kind } from "./available-actions";

const machineForOperation = {
  project: { select: { id: true, name: true, disabledActions: true } },
  provider: { select: { kind: true } },
  offering: true,
} satisfies Prisma.MachineInclude;
export type MachineForOperation = Prisma.MachineGetPayload<{ include: typeof machineForOperation }>;

/**
 * Loads a machine the actor may operate. Machines of projects the actor cannot see (and
 * deleted ones) answer NOT_FOUND; a viewer of the project gets FORBIDDEN.
 */
export async function loadOperableMachine(ctx: Ctx, machineId: string): Promise<MachineForOperation> {
  const machine = await ctx.db.machine.findUnique({ where: { id: machineId }, include: machineForOperation });
  if (!machine || machine.state === "DELETED" || !can(ctx.actor, "machine.read", machine.projectId)) throw notFound("Machine");
  assertCan(ctx.actor, "machine.operate", machine.projectId);
  return machine;
}

/** Refuses an action the project's policy, the provider or the machine's state does not allow. */
export function assertActionAllowed(kind: Day2Kind, machine: MachineForOperation): void {
  const spec = OPERATION_SPECS[kind];
  const why = whyUnavailable(kind, { state: machine.state, providerKind: machine.provider?.kind ?? null }, machine.project.disabledActions);
  if (why === "disabled") {
    throw forbidden(`${spec.label} is switched off for project ${machine.project.name} by an administrator`);
  }
  if (why === "capability") {
    throw new AppError("CONFLICT", `${spec.label} is not supported by this machine's provider`, { reason: "capability" });
  }
  if (why === "state") {
    throw conflict(`${spec.label} is not possible while the machine is ${machine.state} (it needs ${spec.from.join(" or ")})`, { from: machine.state });
  }
}

export interface OperationRequest {
  kind: Day2Kind;
  params?: Record<string, unknown>;
  /** Extra checks and writes inside the transaction (for example a quota re-check). */
  within?: (tx: Tx, operationId: string) => Promise<void>;
  audit?: { before?: unknown; after?: unknown };
}

/**
 * Moves the machine, records the Operation and enqueues its job, all in one transaction.
 * Another request that changed the machine since it was read makes this one CONFLICT.
 */
export async function requestOperation(ctx: Ctx, machine: MachineForOperation, req: OperationRequest) {
  assertActionAllowed(req.kind, machine);
  const fromState = machine.state;
  const toState = OPERATION_SPECS[req.kind].transitional ?? fromState;
  return ctx.db.$transaction(async (tx) => {
    // The shared helper moves the machine (state machine + version check), creates the
    // Operation with params.fromState and enqueues its job.
    const operation = await createOperation(tx, machine, { kind: req.kind, params: req.params, requestedById: ctx.actor.id });
    // Checks that must see the machine locked against concurrent requests run after the move.
    if (req.within) await req.within(tx, operation.id);
    await recordAudit(tx, ctx, {
      action: `machine.${req.kind.toLowerCase()}`,
      targetType: "Machine",
      targetId: machine.id,
      projectId: machine.projectId,
      before: { state: fromState, ...((req.audit?.before as object) ?? {}) },
      after: { state: toState, operationId: operation.id, ...(req.params ?? {}), ...((req.audit?.after as object) ?? {}) } as Record<string, unknown>,
    });
    return { operationId: operation.id, machineId: machine.id, state: toState };
  });
}

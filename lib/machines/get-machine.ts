import "server-only";
import { accessView } from "../access/injection";
import type { z } from "zod";
import type { Ctx } from "../context";
import { can } from "../auth/permissions";
import { notFound } from "../errors";
import type { machineIdSchema } from "./schemas";
import { BUSY_STATES } from "./state-machine";
import { availableActions, DAY2_KINDS } from "./available-actions";
import { shrinksDisk, tierChangeAllowed } from "./resize-impact";
import { consoleKindOf } from "../console/availability";
import { migratesDiskTier, renamesMachines } from "./capabilities";
import { tagsOf } from "./tags";
import { canTransfer } from "./transfer-machine";
import type { MachineDetail, OperationView } from "./views";
import { placementOf } from "../costs/placement-view";
import { isRetryable } from "./retryable";

const HISTORY_LIMIT = 100;

type OperationRow = {
  id: string;
  kind: OperationView["kind"];
  status: OperationView["status"];
  progress: number;
  attempts: number;
  params: unknown;
  errorCode: string | null;
  error: string | null;
  requestedBy: { name: string } | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  result?: unknown;
  phase?: string | null;
  phaseStep?: number;
  phaseSteps?: number;
  nextAttemptAt?: Date | null;
  retryOfId?: string | null;
};

const maxAttemptsOf = (result: unknown): number | null => {
  const r = result && typeof result === "object" ? (result as { retry?: { maxAttempts?: unknown } }).retry : undefined;
  return typeof r?.maxAttempts === "number" ? r.maxAttempts : null;
};

const toView = (o: OperationRow): OperationView => ({
  id: o.id,
  kind: o.kind,
  status: o.status,
  progress: o.progress,
  attempts: o.attempts,
  params: o.params && typeof o.params === "object" ? (o.params as Record<string, unknown>) : {},
  errorCode: o.errorCode,
  error: o.error,
  requestedBy: o.requestedBy?.name ?? null,
  createdAt: o.createdAt.toISOString(),
  startedAt: o.startedAt?.toISOString() ?? null,
  finishedAt: o.finishedAt?.toISOString() ?? null,
  placement: placementOf(o.result),
  phase: o.phase ?? null,
  phaseStep: o.phaseStep ?? 0,
  phaseSteps: o.phaseSteps ?? 0,
  nextAttemptAt: o.nextAttemptAt?.toISOString() ?? null,
  maxAttempts: maxAttemptsOf(o.result),
  retryOfId: o.retryOfId ?? null,
});

/**
 * One machine with its operation history, snapshots, lease and what the actor may do with
 * it. Machines of projects the actor cannot see are NOT_FOUND.
 */
export async function getMachine(ctx: Ctx, input: z.infer<typeof machineIdSchema>): Promise<MachineDetail> {
  const m = await ctx.db.machine.findUnique({
    where: { id: input.machineId },
    include: {
      project: { select: { id: true, name: true, maxLeaseDays: true, disabledActions: true } },
      owner: { select: { id: true, name: true, email: true } },
      offering: true,
      template: { select: { name: true, osName: true, osVersion: true } },
      provider: { select: { name: true, kind: true, endpoint: true } },
      host: { select: { name: true } },
      operations: { orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: HISTORY_LIMIT, include: { requestedBy: { select: { name: true } } } },
      snapshots: { orderBy: { createdAt: "desc" } },
      leaseExtensions: { where: { status: "PENDING" }, include: { requestedBy: { select: { name: true } } }, take: 1 },
      request: { select: { number: true } },
    },
  });
  if (!m || !can(ctx.actor, "machine.read", m.projectId)) throw notFound("Machine");

  const operations = m.operations.map(toView);
  const current = [...operations].reverse().find((o) => o.status === "QUEUED" || o.status === "RUNNING") ?? null;
  const lastFinished = operations.find((o) => o.status === "SUCCEEDED" || o.status === "FAILED" || o.status === "CANCELLED");
  const canOperate = can(ctx.actor, "machine.operate", m.projectId) && m.state !== "DELETED";
  const actions = canOperate
    ? availableActions({ state: m.state, providerKind: m.provider?.kind ?? null }, m.project.disabledActions)
    : (Object.fromEntries(DAY2_KINDS.map((k) => [k, "state"])) as MachineDetail["actions"]);

  // Every active offering, smallest first (vCPU, memory, disk), the current one marked, those
  // it cannot move to said why (a smaller disk; another tier the provider cannot move disks to).
  const tierMove = migratesDiskTier(m.provider?.kind);
  const resizeOptions =
    actions.RESIZE === null
      ? (await ctx.db.offering.findMany({ where: { OR: [{ active: true }, { id: m.offeringId }] }, orderBy: [{ vcpu: "asc" }, { memoryMb: "asc" }, { diskGb: "asc" }, { name: "asc" }] })).map(
          // The current row shows what the machine holds (its reservation), not the offering as edited since.
          (o0) => (o0.id === m.offeringId ? { ...o0, vcpu: m.vcpu, memoryMb: m.memoryMb, diskGb: m.diskGb, diskTier: m.diskTier, monthlyPriceCents: m.monthlyCents } : o0),
        ).map(
          (o) => ({
            id: o.id,
            name: o.name,
            vcpu: o.vcpu,
            memoryMb: o.memoryMb,
            diskGb: o.diskGb,
            diskTier: o.diskTier,
            monthlyPriceCents: o.monthlyPriceCents,
            costDeltaCents: o.monthlyPriceCents - m.monthlyCents,
            current: o.id === m.offeringId,
            unavailable: o.id === m.offeringId ? null : shrinksDisk(m, o) ? ("disk" as const) : !tierChangeAllowed(m, o, tierMove) ? ("tier" as const) : null,
          }),
        )
      : [];

  const canEditDetails = canOperate && m.state !== "DELETING";
  const transferable = canEditDetails && canTransfer(ctx.actor, m);
  const transferCandidates = transferable
    ? (
        await ctx.db.projectMember.findMany({
          where: { projectId: m.projectId, role: { in: ["MEMBER", "APPROVER"] }, userId: { not: m.ownerId }, user: { disabled: false, deletedAt: null } },
          include: { user: { select: { id: true, name: true, email: true } } },
          orderBy: { user: { name: "asc" } },
          take: 500,
        })
      ).map((pm) => pm.user)
    : [];

  const ext = m.leaseExtensions[0];
  return {
    id: m.id,
    name: m.name,
    state: m.state,
    version: m.version,
    busy: BUSY_STATES.includes(m.state) || current !== null,
    project: { id: m.project.id, name: m.project.name, maxLeaseDays: m.project.maxLeaseDays },
    owner: m.owner,
    // The request that created it (its page: /requests/<number>).
    requestNumber: m.request?.number ?? null,
    // What the machine has and pays (its reservation), under its offering's name: an offering
    // edited since does not change a machine that exists.
    offering: {
      id: m.offering.id,
      name: m.offering.name,
      vcpu: m.vcpu,
      memoryMb: m.memoryMb,
      diskGb: m.diskGb,
      diskTier: m.diskTier,
      monthlyPriceCents: m.monthlyCents,
    },
    template: m.template,
    // The endpoint stays on the server: the page needs only what it means for the console.
    provider: m.provider ? { name: m.provider.name, kind: m.provider.kind, console: consoleKindOf(m.provider.kind, m.provider.endpoint) } : null,
    hostName: m.host?.name ?? null,
    ipAddress: m.ipAddress,
    // Connection details (lib/access): what provisioning injected, and the provider's name for it.
    access: accessView(m.access, m.externalRef, m.provider),
    leaseEndsAt: m.leaseEndsAt?.toISOString() ?? null,
    failureCode: m.failureCode,
    failureReason: m.failureReason,
    createdAt: m.createdAt.toISOString(),
    currentOperation: current,
    lastFailure:
      lastFinished?.status === "FAILED"
        ? {
            ...lastFinished,
            // Retry: the machine's latest operation, not retried yet, of a kind users may repeat.
            retryable:
              canOperate && isRetryable(lastFinished.kind) && operations[0]?.id === lastFinished.id && !operations.some((o) => o.retryOfId === lastFinished.id),
          }
        : null,
    operations,
    snapshots: m.snapshots.map((s) => ({ id: s.id, name: s.name, createdAt: s.createdAt.toISOString() })),
    pendingExtension: ext
      ? { id: ext.id, newEndsAt: ext.newEndsAt.toISOString(), reason: ext.reason, requestedBy: ext.requestedBy.name, createdAt: ext.createdAt.toISOString() }
      : null,
    canOperate,
    // A machine without an end can be given one where the project has a maximum lease.
    canExtendLease:
      (m.leaseEndsAt !== null || m.project.maxLeaseDays !== null) &&
      !["DELETING", "DELETED"].includes(m.state) &&
      can(ctx.actor, "lease.extend", m.projectId) &&
      (m.ownerId === ctx.actor.id || ctx.actor.role === "ADMIN"),
    canDecideExtensions: can(ctx.actor, "request.approve", m.projectId),
    actions,
    resizeOptions,
    migratesDiskTier: tierMove,
    tags: tagsOf(m.tags),
    canEditDetails,
    providerRenames: renamesMachines(m.provider?.kind),
    canTransfer: transferable,
    transferCandidates,
  };
}

// Events and notifications of requests: request.created (and a notification to the
// project's approvers when it waits for them) and request.decided. One call from each place
// a request is created or decided, inside its transaction.
import type { Tx } from "../db/client";
import { notify } from "../notifications/notify";
import { emitEvent } from "./emit";

interface RequestFacts {
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

/** Approvers told about one request at most (a project with more has a process of its own). */
const MAX_APPROVERS_NOTIFIED = 50;

/** The users who approve in the project (their own role or a group's), the requester excepted. */
async function projectApprovers(tx: Tx, projectId: string, except: string): Promise<string[]> {
  const rows = await tx.user.findMany({
    where: {
      id: { not: except },
      disabled: false,
      deletedAt: null,
      OR: [
        { memberships: { some: { projectId, role: "APPROVER" } } },
        { groupMemberships: { some: { group: { projectRoles: { some: { projectId, role: "APPROVER" } } } } } },
      ],
    },
    select: { id: true },
    orderBy: { id: "asc" },
    take: MAX_APPROVERS_NOTIFIED,
  });
  return rows.map((r) => r.id);
}

export async function requestCreated(tx: Tx, r: RequestFacts, opts: { autoApproved: boolean; projectName: string; requesterEmail: string; requesterName: string; approverIds?: string[] }): Promise<void> {
  await emitEvent(tx, {
    type: "request.created",
    projectId: r.projectId,
    data: {
      request: {
        id: r.id,
        number: r.number,
        projectId: r.projectId,
        requesterId: r.requesterId,
        requesterEmail: opts.requesterEmail,
        offeringId: r.offeringId,
        templateId: r.templateId,
        quantity: r.quantity,
        names: r.names,
        leaseEndsAt: r.leaseEndsAt?.toISOString() ?? null,
        monthlyCostCents: r.monthlyCostCents,
        status: opts.autoApproved ? "APPROVED" : "PENDING_APPROVAL",
        autoApproved: opts.autoApproved,
      },
    },
  });
  if (opts.autoApproved) return;
  // The approvers of the request's first approval stage when one applies, else the project's.
  for (const approver of opts.approverIds ?? (await projectApprovers(tx, r.projectId, r.requesterId))) {
    await notify(
      tx,
      approver,
      "request.awaiting_approval",
      { requestNumber: r.number, projectName: opts.projectName, requesterName: opts.requesterName, quantity: r.quantity },
      "/admin/approvals",
    );
  }
}

export async function requestDecided(
  tx: Tx,
  r: Pick<RequestFacts, "id" | "number" | "projectId" | "requesterId">,
  d: { status: "APPROVED" | "REJECTED"; decidedById: string | null; reason: string | null; autoApproved: boolean; machineIds?: string[] },
): Promise<void> {
  await emitEvent(tx, {
    type: "request.decided",
    projectId: r.projectId,
    data: {
      request: { id: r.id, number: r.number, projectId: r.projectId, requesterId: r.requesterId },
      decision: d.status,
      decidedById: d.decidedById,
      autoApproved: d.autoApproved,
      reason: d.reason,
      machineIds: d.machineIds ?? [],
    },
  });
}

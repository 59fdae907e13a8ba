// The request page (/requests/<number>): what was asked, who decided each approval stage, each
// machine's provisioning operations with times and failures in plain words, the comments
// between requester and approvers, and what the reader may do (comment, decide, resubmit).
// Plain JSON (ISO dates): the page polls it through app/api/requests/[number].
import "server-only";
import type { Ctx } from "../context";
import { can } from "../auth/permissions";
import { notFound } from "../errors";
import { env } from "../env";
import { applicableStages, isStageApprover } from "../approvals/stages";
import { RESUBMITTABLE_STATUSES } from "./resubmittable";
import type { RequestNumberInput } from "./schemas";

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export async function getRequestPage(ctx: Ctx, input: RequestNumberInput) {
  const r = await ctx.db.request.findUnique({
    where: { number: input.number },
    include: {
      project: { select: { id: true, name: true } },
      requester: { select: { id: true, name: true } },
      decidedBy: { select: { id: true, name: true } },
      offering: { select: { id: true, name: true, vcpu: true, memoryMb: true, diskGb: true, diskTier: true } },
      template: { select: { id: true, name: true } },
      placementProvider: { select: { name: true } },
      resubmittedFrom: { select: { number: true } },
      resubmissions: { select: { number: true }, orderBy: { number: "asc" } },
      stageDecisions: { orderBy: { position: "asc" }, include: { decidedBy: { select: { name: true } } } },
      comments: { orderBy: { createdAt: "asc" }, take: 500, include: { author: { select: { id: true, name: true } } } },
      machines: {
        orderBy: { name: "asc" },
        select: {
          id: true,
          name: true,
          state: true,
          failureReason: true,
          failureCode: true,
          deletedAt: true,
          operations: {
            where: { kind: { in: ["PROVISION", "CLEANUP", "DELETE"] } },
            orderBy: { seq: "asc" },
            select: { id: true, kind: true, status: true, attempts: true, error: true, errorCode: true, createdAt: true, startedAt: true, finishedAt: true, nextAttemptAt: true },
          },
        },
      },
    },
  });
  // Requests in projects the reader cannot see do not exist for them.
  if (!r || !(r.requesterId === ctx.actor.id || can(ctx.actor, "request.read", r.projectId))) throw notFound("Request");

  const stages = await ctx.db.approvalStage.findMany({ where: { projectId: r.projectId }, orderBy: { position: "asc" } });
  const pending = r.status === "PENDING_APPROVAL";
  const current = pending && r.approvalStage !== null ? (stages.find((s) => s.position === r.approvalStage) ?? null) : null;
  const own = r.requesterId === ctx.actor.id;
  const mayDecide = pending && !own && (current ? isStageApprover(ctx.actor, r.projectId, current) : can(ctx.actor, "request.approve", r.projectId));
  const approver = can(ctx.actor, "request.approve", r.projectId) || stages.some((s) => isStageApprover(ctx.actor, r.projectId, s));
  // The stages still ahead (as the policy is now), after the decided ones.
  const ahead = pending && r.approvalStage !== null ? applicableStages(stages, r.monthlyCostCents).filter((s) => s.position >= r.approvalStage!) : [];

  return {
    id: r.id,
    number: r.number,
    status: r.status,
    project: r.project,
    requester: r.requester,
    offering: r.offering,
    template: r.template,
    quantity: r.quantity,
    names: r.names,
    leaseEndsAt: iso(r.leaseEndsAt),
    justification: r.justification,
    monthlyCostCents: r.monthlyCostCents,
    currency: env().ORQ_CURRENCY,
    placement: { scope: r.placementScope, providerName: r.placementProvider?.name ?? null },
    autoApproved: r.autoApproved,
    decisionReason: r.decisionReason,
    decidedBy: r.decidedBy,
    createdAt: iso(r.createdAt)!,
    decidedAt: iso(r.decidedAt),
    resubmittedFrom: r.resubmittedFrom?.number ?? null,
    resubmissions: r.resubmissions.map((x) => x.number),
    stageDecisions: r.stageDecisions.map((d) => ({ position: d.position, name: d.stageName, approved: d.approved, reason: d.reason, by: d.decidedBy.name, at: iso(d.decidedAt)! })),
    waitingStage: current ? { position: current.position, name: current.name } : null,
    stagesAhead: ahead.map((s) => ({ position: s.position, name: s.name })),
    machines: r.machines.map((m) => ({
      id: m.id,
      name: m.name,
      state: m.state,
      deleted: m.deletedAt !== null,
      failureReason: m.failureReason,
      failureCode: m.failureCode,
      operations: m.operations.map((o) => ({
        id: o.id,
        kind: o.kind,
        status: o.status,
        attempts: o.attempts,
        error: o.error,
        errorCode: o.errorCode,
        createdAt: iso(o.createdAt)!,
        startedAt: iso(o.startedAt),
        finishedAt: iso(o.finishedAt),
        nextAttemptAt: iso(o.nextAttemptAt),
      })),
    })),
    comments: r.comments.map((c) => ({ id: c.id, body: c.body, at: iso(c.createdAt)!, author: c.author.name, fromRequester: c.author.id === r.requesterId, mine: c.author.id === ctx.actor.id })),
    can: {
      comment: own || approver,
      decide: mayDecide,
      cancel: own && pending,
      resubmit: own && (RESUBMITTABLE_STATUSES as readonly string[]).includes(r.status),
    },
    // Still changing by itself: the page polls fast.
    busy: pending || r.machines.some((m) => m.operations.some((o) => o.status === "QUEUED" || o.status === "RUNNING")),
  };
}
export type RequestPageView = Awaited<ReturnType<typeof getRequestPage>>;

// A user requests machines for a project. Everything is checked again here (the form's
// live preview is only a preview): project access, offering and template, names, lease,
// quota. Requests below the project's auto-approval threshold are approved at once by the
// same approval core an approver uses, in the same transaction.
import "server-only";
import type { Ctx } from "../context";
import { assertCan, can } from "../auth/permissions";
import { AppError, notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { approveInTx, APPROVAL_TX_OPTIONS } from "../approvals/approve-core";
import { exceededResources, isAutoApproved, monthlyCost, quotaImpact } from "../quotas/impact";
import { quotaExceeded } from "../quotas/quota-error";
import type { RequestStatus } from "../generated/prisma/enums";
import { generateNames } from "./names";
import { leaseEndFromDate, leaseProblem } from "./lease";
import { OPEN_REQUEST_STATUSES } from "./open-statuses";
import { requestCreated } from "../events/request-events";
import type { SubmitRequestInput } from "./schemas";
import { feasibilityProblems } from "./feasibility";
import { nextStage } from "../approvals/stages";
import { stageApproverIds } from "../approvals/stage-approvers";
import { allowedProviders, loadProjectProviders, loadScopeProviders, providersForChoice } from "../orchestration/provider-scope";

export interface SubmitRequestResult {
  id: string;
  number: number;
  status: RequestStatus;
  autoApproved: boolean;
  monthlyCostCents: number;
}

/**
 * Who submits on whose behalf: a stack's apply (lib/stacks/advance-stack.ts) links the request
 * to the stack in the request's own transaction, so a crash right after the submission cannot
 * leave a request (and its machines) the stack does not know it owns. Not part of the input
 * schema: the form and the API cannot set it.
 */
export interface SubmitRequestLink {
  stackId: string;
  stackGroup: string;
  stackVersionId: string;
}

export async function submitRequest(ctx: Ctx, input: SubmitRequestInput, link?: SubmitRequestLink, resubmittedFromId?: string): Promise<SubmitRequestResult> {
  const { actor } = ctx;
  // Projects the actor cannot see do not exist for them.
  if (!can(actor, "project.read", input.projectId)) throw notFound("Project");
  const project = await ctx.db.project.findUnique({ where: { id: input.projectId } });
  if (!project || project.archived) throw notFound("Project");
  assertCan(actor, "request.create", project.id);

  const [offering, template] = await Promise.all([
    ctx.db.offering.findFirst({ where: { id: input.offeringId, active: true } }),
    ctx.db.template.findFirst({ where: { id: input.templateId, active: true } }),
  ]);
  if (!offering) throw notFound("Offering");
  if (!template) throw notFound("Template");

  const nameField = input.names ? "names" : "name";
  const names = input.names ?? generateNames(input.name!, input.quantity);
  const fields: Record<string, string[]> = {};
  if (offering.diskGb < template.minDiskGb) fields.templateId = ["templateDiskTooSmall"];
  // Required where the project has a maximum lease (an empty date would bypass it).
  const leaseIssue = leaseProblem(input.leaseEndsAt, ctx.now(), project.maxLeaseDays);
  if (leaseIssue) fields.leaseEndsAt = [leaseIssue];
  const leaseEndsAt = input.leaseEndsAt && !leaseIssue ? leaseEndFromDate(input.leaseEndsAt) : null;
  // A placement target other than "let the portal choose" must be one some provider can serve
  // (the form shows which; this is the same rule, checked again).
  const placement = input.placement ?? "AUTO";
  const placementProviderId = placement === "PROVIDER" ? (input.providerId ?? null) : null;
  const [providers, projectProviders] = await Promise.all([loadScopeProviders(ctx.db), loadProjectProviders(ctx.db, project.id)]);
  // Feasibility before approval: a template or offering no active provider of the project can
  // serve is refused here, not auto-approved and then failed by placement.
  const infeasible = feasibilityProblems(providers, projectProviders, { templateId: template.id, offeringId: offering.id });
  if (infeasible.templateId && !fields.templateId) fields.templateId = [infeasible.templateId];
  if (infeasible.offeringId) fields.offeringId = [infeasible.offeringId];
  if (placement === "PROVIDER" && !project.providerChoice && !can(actor, "request.approve", project.id)) {
    // The project keeps the choice of provider to its policy for members (approvers and
    // administrators may still target one).
    fields.placement = ["providerChoiceOff"];
  } else if (placement !== "AUTO" && !infeasible.templateId && !infeasible.offeringId) {
    if (placementProviderId && !allowedProviders(providers, projectProviders).some((p) => p.id === placementProviderId)) {
      fields.placement = ["providerNotAllowed"];
    } else if (!providersForChoice(providers, projectProviders, { scope: placement, providerId: placementProviderId }, { templateId: template.id, offeringId: offering.id }).ids.length) {
      fields.placement = ["noProviderForChoice"];
    }
  }
  // SSH keys to inject: the requester's own (a key deleted since the form loaded is refused).
  const sshKeyIds = input.sshKeyIds ? [...new Set(input.sshKeyIds)] : undefined;
  if (sshKeyIds?.length && (await ctx.db.sshKey.count({ where: { userId: actor.id, id: { in: sshKeyIds } } })) !== sshKeyIds.length) {
    fields.sshKeyIds = ["sshKeysNotYours"];
  }
  if (Object.keys(fields).length) {
    // `days` fills the lease messages ("at most {days} days") where they are rendered (API).
    const message = infeasible.templateId === "templateUnavailable"
      ? `No active provider of this project can run template ${template.name}`
      : infeasible.offeringId
        ? `No active provider of this project can run offering ${offering.name}`
        : infeasible.templateId === "combinationUnavailable"
          ? `No active provider of this project can run template ${template.name} with offering ${offering.name}`
          : "Some fields are invalid";
    throw new AppError("VALIDATION", message, { fields, ...(leaseIssue && project.maxLeaseDays !== null ? { days: project.maxLeaseDays } : {}) });
  }

  const costCents = monthlyCost(offering, input.quantity);
  const autoApprove = isAutoApproved(project.autoApproveBelowCents, costCents);

  return ctx.db.$transaction(async (tx) => {
    // Serialise submissions per project so two requests cannot claim the same name.
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`request-names:${project.id}`}))`;
    const [machines, requests] = await Promise.all([
      tx.machine.findMany({
        where: { projectId: project.id, name: { in: names }, deletedAt: null, state: { not: "DELETED" } },
        select: { name: true },
      }),
      tx.request.findMany({
        where: { projectId: project.id, status: { in: [...OPEN_REQUEST_STATUSES] }, names: { hasSome: names } },
        select: { names: true },
      }),
    ]);
    const wanted = new Set(names);
    const taken = [...new Set([...machines.map((m) => m.name), ...requests.flatMap((r) => r.names.filter((n) => wanted.has(n)))])].sort();
    if (taken.length) {
      throw new AppError("VALIDATION", `These names are already used in the project: ${taken.join(", ")}`, {
        fields: { [nameField]: ["nameTaken"] },
        taken,
      });
    }

    // Refuse what cannot fit now (approval reserves atomically; this is the early answer).
    const current = await tx.project.findUniqueOrThrow({ where: { id: project.id } });
    const over = exceededResources(quotaImpact(current, offering, input.quantity));
    if (over.length) throw quotaExceeded(over);

    // Multi-stage approval: the first stage that applies to this cost (none: one decision by
    // the project's approvers). Auto-approval below the project's threshold comes first.
    const stages = autoApprove ? [] : await tx.approvalStage.findMany({ where: { projectId: project.id }, orderBy: { position: "asc" } });
    const firstStage = nextStage(stages, costCents);
    const request = await tx.request.create({
      data: {
        projectId: project.id,
        requesterId: actor.id,
        offeringId: offering.id,
        templateId: template.id,
        quantity: input.quantity,
        names,
        leaseEndsAt,
        justification: input.justification ?? "",
        monthlyCostCents: costCents,
        placementScope: placement,
        placementProviderId,
        approvalStage: firstStage?.position ?? null,
        ...(resubmittedFromId ? { resubmittedFromId } : {}),
        ...(sshKeyIds ? { sshKeysChosen: true, sshKeyIds } : {}),
        ...(link ? { stackId: link.stackId, stackGroup: link.stackGroup, stackVersionId: link.stackVersionId } : {}),
      },
    });
    await recordAudit(tx, ctx, {
      action: "request.submit",
      targetType: "Request",
      targetId: request.id,
      projectId: project.id,
      after: {
        number: request.number,
        offeringId: offering.id,
        templateId: template.id,
        quantity: request.quantity,
        names,
        leaseEndsAt,
        monthlyCostCents: costCents,
        placement,
        placementProviderId,
      },
    });
    await requestCreated(tx, request, {
      autoApproved: autoApprove,
      projectName: project.name,
      requesterEmail: actor.email,
      requesterName: actor.name,
      ...(firstStage ? { approverIds: await stageApproverIds(tx, project.id, firstStage, actor.id) } : {}),
    });
    if (autoApprove) {
      await approveInTx(tx, ctx, request, { decidedById: null, autoApproved: true });
    }
    return {
      id: request.id,
      number: request.number,
      status: autoApprove ? "APPROVED" : "PENDING_APPROVAL",
      autoApproved: autoApprove,
      monthlyCostCents: costCents,
    };
  }, APPROVAL_TX_OPTIONS);
}

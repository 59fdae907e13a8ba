// The requester resubmits a rejected, failed or cancelled request with the same values: a new
// request (linked to the old one) checked like any submission. A value no longer valid (an
// offering or template withdrawn, a lease date past, names now taken, nothing able to run it)
// is refused with the field errors, so the page can say what changed.
import "server-only";
import type { Ctx } from "../context";
import { can } from "../auth/permissions";
import { AppError, conflict, forbidden, notFound } from "../errors";
import { parseInput } from "../providers/parse-input";
import { RESUBMITTABLE_STATUSES } from "./resubmittable";
import { resubmitRequestSchema, submitRequestSchema, type ResubmitRequestInput } from "./schemas";
import { submitRequest, type SubmitRequestResult } from "./submit-request";
import { zodFieldErrors } from "../errors";

export async function resubmitRequest(ctx: Ctx, input: ResubmitRequestInput): Promise<SubmitRequestResult & { resubmittedFrom: number }> {
  const v = parseInput(resubmitRequestSchema, input);
  const old = await ctx.db.request.findUnique({
    where: { id: v.requestId },
    include: { offering: { select: { active: true } }, template: { select: { active: true } } },
  });
  if (!old || !(old.requesterId === ctx.actor.id || can(ctx.actor, "request.read", old.projectId))) throw notFound("Request");
  if (old.requesterId !== ctx.actor.id) throw forbidden("Only the requester resubmits a request");
  if (!(RESUBMITTABLE_STATUSES as readonly string[]).includes(old.status)) {
    throw conflict("Only a rejected, failed or cancelled request can be resubmitted", { reason: "NOT_RESUBMITTABLE" });
  }
  // Values withdrawn since: said on their field, before anything else.
  const gone: Record<string, string[]> = {};
  if (!old.offering.active) gone.offeringId = ["offeringWithdrawn"];
  if (!old.template.active) gone.templateId = ["templateWithdrawn"];
  if (Object.keys(gone).length) throw new AppError("VALIDATION", "A value of this request is no longer available", { fields: gone });
  const lease = old.leaseEndsAt ? old.leaseEndsAt.toISOString().slice(0, 10) : "";
  const raw = {
    projectId: old.projectId,
    offeringId: old.offeringId,
    templateId: old.templateId,
    quantity: old.quantity,
    ...(old.quantity === 1 ? { name: old.names[0] } : { names: old.names }),
    leaseEndsAt: lease,
    justification: old.justification || undefined,
    placement: old.placementScope,
    ...(old.placementScope === "PROVIDER" && old.placementProviderId ? { providerId: old.placementProviderId } : {}),
  };
  const parsed = submitRequestSchema.safeParse(raw);
  if (!parsed.success) throw new AppError("VALIDATION", "Some values of this request are no longer valid", { fields: zodFieldErrors(parsed.error) });
  const res = await submitRequest(ctx, parsed.data, undefined, old.id);
  return { ...res, resubmittedFrom: old.number };
}

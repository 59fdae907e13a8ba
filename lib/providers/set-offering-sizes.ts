import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound, validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { DRIVER_PROFILES } from "../drivers/profiles";
import { setOfferingSizesSchema, type SetOfferingSizesInput } from "./schemas";
import { parseInput } from "./parse-input";

/**
 * Maps offerings to the provider's sizes (an EC2 instance type, an Azure VM size). An empty
 * size removes the mapping: the provider then no longer serves that offering (machines already
 * running keep their size). Offerings not listed are left as they are.
 */
export async function setOfferingSizes(ctx: Ctx, input: SetOfferingSizesInput): Promise<{ changed: boolean; sizes: Record<string, string> }> {
  assertCan(ctx.actor, "provider.manage");
  const { providerId, refs } = parseInput(setOfferingSizesSchema, input);
  const ids = refs.map((r) => r.offeringId);
  if (new Set(ids).size !== ids.length) throw validationError({ refs: ["providers.validation.duplicateOffering"] });
  return ctx.db.$transaction(async (tx) => {
    const provider = await tx.provider.findUnique({ where: { id: providerId }, select: { id: true, kind: true } });
    if (!provider) throw notFound("Provider");
    if (DRIVER_PROFILES[provider.kind].sizing !== "mapped") throw validationError({ refs: ["providers.validation.sizesNotMapped"] });
    const offerings = await tx.offering.count({ where: { id: { in: ids } } });
    if (offerings !== ids.length) throw notFound("Offering");
    const before = Object.fromEntries((await tx.offeringProviderRef.findMany({ where: { providerId } })).map((r) => [r.offeringId, r.ref]));
    for (const { offeringId, ref } of refs) {
      if (ref === "") await tx.offeringProviderRef.deleteMany({ where: { providerId, offeringId } });
      else
        await tx.offeringProviderRef.upsert({
          where: { offeringId_providerId: { offeringId, providerId } },
          create: { offeringId, providerId, ref },
          update: { ref },
        });
    }
    const after = Object.fromEntries((await tx.offeringProviderRef.findMany({ where: { providerId } })).map((r) => [r.offeringId, r.ref]));
    const changed = JSON.stringify(Object.entries(before).sort()) !== JSON.stringify(Object.entries(after).sort());
    if (changed) {
      await recordAudit(tx, ctx, { action: "provider.set_offering_sizes", targetType: "Provider", targetId: providerId, before: { sizes: before }, after: { sizes: after } });
    }
    return { changed, sizes: after };
  });
}

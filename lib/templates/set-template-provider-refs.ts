import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound, validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { parseInput } from "../offerings/parse-input";
import { setTemplateProviderRefsSchema } from "./schemas";

/**
 * Sets how the template is known on each listed provider (image alias, template VM name,
 * container image...). An empty ref removes the provider's ref: it can no longer serve the
 * template. Providers not listed are left as they are.
 */
export async function setTemplateProviderRefs(ctx: Ctx, input: z.infer<typeof setTemplateProviderRefsSchema>) {
  assertCan(ctx.actor, "template.manage");
  const { templateId, refs } = parseInput(setTemplateProviderRefsSchema, input);
  const ids = refs.map((r) => r.providerId);
  if (new Set(ids).size !== ids.length) throw validationError({ refs: ["templates.validation.duplicateProvider"] });
  return ctx.db.$transaction(async (tx) => {
    const template = await tx.template.findUnique({ where: { id: templateId }, select: { id: true } });
    if (!template) throw notFound("Template");
    const providers = await tx.provider.findMany({ where: { id: { in: ids } }, select: { id: true } });
    if (providers.length !== ids.length) throw notFound("Provider");
    const current = await tx.templateProviderRef.findMany({ where: { templateId }, select: { providerId: true, ref: true } });
    const beforeMap = Object.fromEntries(current.map((r) => [r.providerId, r.ref]));
    for (const { providerId, ref } of refs) {
      if (ref === "") await tx.templateProviderRef.deleteMany({ where: { templateId, providerId } });
      else
        await tx.templateProviderRef.upsert({
          where: { templateId_providerId: { templateId, providerId } },
          create: { templateId, providerId, ref },
          update: { ref },
        });
    }
    const afterRows = await tx.templateProviderRef.findMany({ where: { templateId }, select: { providerId: true, ref: true } });
    const afterMap = Object.fromEntries(afterRows.map((r) => [r.providerId, r.ref]));
    const changed = JSON.stringify(Object.entries(beforeMap).sort()) !== JSON.stringify(Object.entries(afterMap).sort());
    if (changed) {
      await recordAudit(tx, ctx, {
        action: "template.set_provider_refs",
        targetType: "Template",
        targetId: templateId,
        before: { providerRefs: beforeMap },
        after: { providerRefs: afterMap },
      });
    }
    return { providerRefs: afterMap, changed };
  });
}

// What the request form needs: the chosen offering, the other active offerings and
// templates, and the projects the actor may request for with their quota and usage (for the
// live preview; submit-request checks everything again).
import "server-only";
import type { Ctx } from "../context";
import { assertCan, projectsWhere } from "../auth/permissions";
import { notFound } from "../errors";
import { env } from "../env";
import { isPrivateCloud, loadScopeProviders } from "../orchestration/provider-scope";

export async function getRequestForm(ctx: Ctx, input: { offeringId: string }) {
  assertCan(ctx.actor, "catalog.read");
  const projectIds = projectsWhere(ctx.actor, "request.create");
  const [offerings, templates, projects] = await Promise.all([
    ctx.db.offering.findMany({
      where: { active: true },
      orderBy: [{ diskTier: "asc" }, { monthlyPriceCents: "asc" }, { name: "asc" }],
      select: { id: true, name: true, vcpu: true, memoryMb: true, diskGb: true, diskTier: true, monthlyPriceCents: true },
    }),
    ctx.db.template.findMany({
      where: { active: true },
      orderBy: { name: "asc" },
      select: { id: true, name: true, osFamily: true, osName: true, osVersion: true, minDiskGb: true },
    }),
    ctx.db.project.findMany({
      where: { archived: false, ...(projectIds === null ? {} : { id: { in: projectIds } }) },
      orderBy: { name: "asc" },
      select: {
        id: true,
        name: true,
        maxLeaseDays: true,
        autoApproveBelowCents: true,
        quotaVcpu: true,
        quotaMemoryMb: true,
        quotaDiskSsdGb: true,
        quotaDiskHddGb: true,
        quotaMachines: true,
        monthlyBudgetCents: true,
        usedVcpu: true,
        usedMemoryMb: true,
        usedDiskSsdGb: true,
        usedDiskHddGb: true,
        usedMachines: true,
        usedMonthlyCents: true,
        defaultProviderId: true,
        providers: { select: { providerId: true } },
      },
    }),
  ]);
  // What the placement target needs: the providers with what they can serve (names, kinds and
  // the templates and offerings they serve are not secrets; endpoints and credentials are not
  // sent). The form works out, with the same function as the server, which ones serve a choice.
  const providers = (await loadScopeProviders(ctx.db)).map((p) => ({ ...p, privateCloud: isPrivateCloud(p.kind) }));
  const offering = offerings.find((o) => o.id === input.offeringId);
  if (!offering) throw notFound("Offering");
  return {
    offering,
    offerings,
    templates,
    projects: projects.map(({ providers: links, ...p }) => ({ ...p, allowedProviderIds: links.map((l) => l.providerId) })),
    providers,
    currency: env().ORQ_CURRENCY,
    now: ctx.now().toISOString(),
  };
}
export type RequestFormData = Awaited<ReturnType<typeof getRequestForm>>;
export type RequestFormProject = RequestFormData["projects"][number];
export type RequestFormOffering = RequestFormData["offerings"][number];

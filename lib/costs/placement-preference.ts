// The placement policy against the database: called by the placement query for a new machine
// of a project, it prices the machine on every active provider that offers its template and
// orders them by the project's policy (placement-policy.ts).
import type { Tx } from "../db/client";
import { env } from "../env";
import type { MachineSize } from "./pricing";
import { listAt, monthlyCostOf } from "./pricing";
import { loadPriceCatalog } from "./price-lists";
import { preferenceOf, reasonFor, reasonText, type ProviderOffer, type ProviderPreference, type PlacementReason } from "./placement-policy";

export interface PlacementPreference {
  pref: ProviderPreference;
  offers: ProviderOffer[];
  /** Why the machine went to `providerId`, structured and in plain English. */
  explain: (providerId: string) => PlacementReason & { text: string; currency: string };
}

export async function placementPreference(
  tx: Tx,
  t: { projectId: string; requestId?: string | null; templateId: string; need: MachineSize; now: Date },
): Promise<PlacementPreference> {
  const [project, request, providers, catalog] = await Promise.all([
    tx.project.findUnique({ where: { id: t.projectId }, select: { placementPolicy: true, placementProviderId: true } }),
    t.requestId ? tx.request.findUnique({ where: { id: t.requestId }, select: { providerId: true } }) : null,
    tx.provider.findMany({ where: { status: "ACTIVE", templateRefs: { some: { templateId: t.templateId } } }, select: { id: true, name: true, kind: true } }),
    loadPriceCatalog(tx),
  ]);
  const offers: ProviderOffer[] = providers.map((p) => {
    const list = listAt(catalog.listsFor(p.id), t.now);
    const cost = list ? monthlyCostOf(list, t.need) : null;
    return { providerId: p.id, name: p.name, kind: p.kind, monthly: cost ? cost.compute + cost.storage : null };
  });
  const pref = preferenceOf(project?.placementPolicy ?? "CHEAPEST", offers, {
    fixedProviderId: project?.placementProviderId ?? null,
    chosenProviderId: request?.providerId ?? null,
  });
  const currency = env().ORQ_CURRENCY;
  return {
    pref,
    offers,
    explain: (providerId) => {
      const r = reasonFor(pref, offers, providerId);
      return { ...r, currency, text: reasonText(r, currency) };
    },
  };
}

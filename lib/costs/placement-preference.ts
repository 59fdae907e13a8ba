// The placement policy against the database: for a new machine of a project, it prices the
// machine on every provider of its scope (lib/orchestration/provider-scope.ts) and orders them
// by the project's policy (placement-policy.ts), the project's default provider first.
import type { Tx } from "../db/client";
import { env } from "../env";
import type { MachineSize } from "./pricing";
import { listAt, monthlyCostOf } from "./pricing";
import { loadPriceCatalog, type PriceCatalog } from "./price-lists";
import type { ProjectPlacementPolicy, ProviderKind } from "../generated/prisma/enums";
import { preferenceOf, reasonFor, reasonText, type ProviderOffer, type ProviderPreference, type PlacementReason } from "./placement-policy";

export interface PlacementPreference {
  pref: ProviderPreference;
  offers: ProviderOffer[];
  /** Why the machine went to `providerId`, structured and in plain English. */
  explain: (providerId: string) => PlacementReason & { text: string; currency: string };
}

export async function placementPreference(
  tx: Tx,
  t: {
    projectId: string;
    templateId: string;
    need: MachineSize;
    now: Date;
    /** The providers the machine may go to (its scope); null: every active provider with the template. */
    providerIds: string[] | null;
    /** The project's default provider, tried first (only when the portal chooses). */
    preferredProviderId?: string | null;
    /** The one provider the request targets (placement PROVIDER). */
    chosenProviderId?: string | null;
  },
): Promise<PlacementPreference> {
  const [project, providers, catalog] = await Promise.all([
    tx.project.findUnique({ where: { id: t.projectId }, select: { placementPolicy: true } }),
    tx.provider.findMany({
      where: { status: "ACTIVE", templateRefs: { some: { templateId: t.templateId } }, ...(t.providerIds ? { id: { in: t.providerIds } } : {}) },
      select: { id: true, name: true, kind: true },
    }),
    loadPriceCatalog(tx),
  ]);
  return preferenceFrom(project?.placementPolicy ?? "CHEAPEST", providers, catalog, t);
}

/**
 * The same decision from data already read (lib/orchestration/placement-inputs.ts reads it in
 * one statement): `providers` are the machine's candidates (active, with the template, in scope).
 */
export function preferenceFrom(
  placementPolicy: ProjectPlacementPolicy,
  providers: readonly { id: string; name: string; kind: ProviderKind }[],
  catalog: PriceCatalog,
  t: { need: MachineSize; now: Date; preferredProviderId?: string | null; chosenProviderId?: string | null },
): PlacementPreference {
  const offers: ProviderOffer[] = providers.map((p) => {
    const list = listAt(catalog.listsFor(p.id), t.now);
    const cost = list ? monthlyCostOf(list, t.need) : null;
    return { providerId: p.id, name: p.name, kind: p.kind, monthly: cost ? cost.compute + cost.storage : null };
  });
  const pref = preferenceOf(placementPolicy, offers, {
    preferredProviderId: t.preferredProviderId ?? null,
    chosenProviderId: t.chosenProviderId ?? null,
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

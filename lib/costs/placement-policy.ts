// Project placement policies, pure: in which order a project's new machine tries the providers
// of its scope (lib/orchestration/provider-scope.ts: the project's allowed providers under the
// request's placement target). The placement query (lib/orchestration/place-machine.ts) ranks
// hosts by this order first, then within a provider by the provider's own SPREAD/PACK, so
// "cheapest" means "the cheapest provider that has room", never "a full provider".
//
//   PRIVATE_FIRST  private providers (everything but public clouds), cheapest first; then public clouds
//   CHEAPEST       the cheapest provider for this machine under the price books in force
//   SPREAD / PACK  no preference between providers: the emptiest (fullest) host anywhere
// The project's default provider, when the portal chooses and it is in scope, comes before the
// policy's order (DEFAULT); a request targeting one provider places only there (CHOSEN).
// Providers without a price for the machine come after every priced one, by name.
import type { PlacementPolicy, ProjectPlacementPolicy, ProviderKind } from "../generated/prisma/enums";

/** Kinds that rent machines by the hour from a public cloud (the rest run on hardware you own). */
const PUBLIC_CLOUD_KINDS: readonly string[] = ["EC2", "AZURE", "GCE"];
export const isPublicCloud = (kind: ProviderKind | string) => PUBLIC_CLOUD_KINDS.includes(kind);

export interface ProviderOffer {
  providerId: string;
  name: string;
  kind: ProviderKind;
  /** Millicents per month for this machine; null: no price. */
  monthly: number | null;
}

export interface ProviderPreference {
  policy: ProjectPlacementPolicy | "CHOSEN";
  /** Providers in order of preference (null: no preference). */
  rank: string[] | null;
  /** The project's default provider, tried before the policy's order (null: none in scope). */
  preferred: string | null;
  /** Host scoring across providers, overriding each provider's own (SPREAD/PACK policies). */
  hostPolicy: PlacementPolicy | null;
}

const byPrice = (a: ProviderOffer, b: ProviderOffer) => {
  if (a.monthly !== null && b.monthly !== null && a.monthly !== b.monthly) return a.monthly - b.monthly;
  if ((a.monthly === null) !== (b.monthly === null)) return a.monthly === null ? 1 : -1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.providerId < b.providerId ? -1 : 1;
};

/** Offers cheapest first; unpriced last by name. */
export const sortByPrice = <T extends ProviderOffer>(offers: readonly T[]): T[] => [...offers].sort(byPrice);

export function preferenceOf(
  policy: ProjectPlacementPolicy,
  offers: readonly ProviderOffer[],
  opts: { preferredProviderId?: string | null; chosenProviderId?: string | null } = {},
): ProviderPreference {
  if (opts.chosenProviderId) return { policy: "CHOSEN", rank: [opts.chosenProviderId], preferred: null, hostPolicy: null };
  const preferred = opts.preferredProviderId ?? null;
  const first = (rank: string[] | null) => (preferred ? [preferred, ...(rank ?? []).filter((id) => id !== preferred)] : rank);
  switch (policy) {
    case "SPREAD":
    case "PACK":
      return { policy, rank: first(null), preferred, hostPolicy: policy };
    case "PRIVATE_FIRST": {
      const sorted = sortByPrice(offers);
      const rank = [...sorted.filter((o) => !isPublicCloud(o.kind)), ...sorted.filter((o) => isPublicCloud(o.kind))].map((o) => o.providerId);
      return { policy, rank: first(rank), preferred, hostPolicy: null };
    }
    case "CHEAPEST":
      return { policy, rank: first(sortByPrice(offers).map((o) => o.providerId)), preferred, hostPolicy: null };
  }
}

export interface PlacementReason {
  /** DEFAULT: the machine went to the project's default provider, tried first. */
  policy: ProviderPreference["policy"] | "DEFAULT";
  providerId: string;
  providerName: string;
  /** Millicents per month on the chosen provider (null: unpriced). */
  monthly: number | null;
  /** Providers preferred to the chosen one that had no room for the machine. */
  skipped: { providerId: string; name: string; monthly: number | null }[];
}

/** Why the machine went where it did, from the preference and the provider it got. */
export function reasonFor(pref: ProviderPreference, offers: readonly ProviderOffer[], chosenProviderId: string): PlacementReason {
  const byId = new Map(offers.map((o) => [o.providerId, o]));
  const chosen = byId.get(chosenProviderId);
  const skipped: PlacementReason["skipped"] = [];
  if (pref.rank) {
    for (const id of pref.rank) {
      if (id === chosenProviderId) break;
      const o = byId.get(id);
      if (o) skipped.push({ providerId: id, name: o.name, monthly: o.monthly });
    }
  }
  const policy = pref.preferred !== null && pref.preferred === chosenProviderId ? "DEFAULT" : pref.policy;
  return { policy, providerId: chosenProviderId, providerName: chosen?.name ?? "", monthly: chosen?.monthly ?? null, skipped };
}

const money = (millicents: number, currency: string) => `${(millicents / 100_000).toFixed(2)} ${currency}/month`;

/** The reason in plain English (the machine page translates from the structured fields). */
export function reasonText(r: PlacementReason, currency: string): string {
  const price = r.monthly === null ? "no price in its price book" : money(r.monthly, currency);
  const full = r.skipped.length ? `; ${r.skipped.map((s) => `${s.name}${s.monthly === null ? "" : ` (${money(s.monthly, currency)})`}`).join(", ")} had no room` : "";
  switch (r.policy) {
    case "CHOSEN":
      return `${r.providerName}: chosen by the requester (${price})`;
    case "DEFAULT":
      return `${r.providerName}: the project's default provider, tried first (${price})`;
    case "CHEAPEST":
      return `${r.providerName}: the cheapest provider with room (${price})${full}`;
    case "PRIVATE_FIRST":
      return `${r.providerName}: private providers first, then the cheapest with room (${price})${full}`;
    case "SPREAD":
      return `${r.providerName}: the host with the most room on any provider (${price})`;
    case "PACK":
      return `${r.providerName}: the fullest host with room on any provider (${price})`;
  }
}

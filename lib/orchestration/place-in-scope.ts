// Placement of a new machine within its provider scope (provider-scope.ts): the project's
// default provider first when the portal chooses, then the other providers of the scope in the
// order of the project's placement policy (lib/costs/placement-policy.ts), through the one
// placement query (place-machine.ts).
import type { Tx } from "../db/client";
import type { PlacementChoice } from "./provider-scope";
import { placeAndReserve, type Placement, type PlacementTarget } from "./place-machine";

export async function placeInScope(
  tx: Tx,
  t: Omit<PlacementTarget, "providerIds" | "providerId" | "preferredProviderId" | "chosenProviderId" | "preference">,
  scope: { ids: string[]; preferred: string | null; choice?: PlacementChoice },
): Promise<Placement | null> {
  if (!scope.ids.length) return null;
  return placeAndReserve(tx, {
    ...t,
    providerIds: scope.ids,
    preferredProviderId: scope.preferred,
    chosenProviderId: scope.choice?.scope === "PROVIDER" ? (scope.choice.providerId ?? null) : null,
  });
}

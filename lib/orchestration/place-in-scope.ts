// Placement of a new machine within its provider scope (provider-scope.ts): the project's
// default provider first when the portal chooses, then every provider of the scope, through
// the one placement query (place-machine.ts).
import type { Tx } from "../db/client";
import { placeAndReserve, type Placement, type PlacementTarget } from "./place-machine";

export async function placeInScope(tx: Tx, t: Omit<PlacementTarget, "providerIds" | "providerId">, scope: { ids: string[]; preferred: string | null }): Promise<Placement | null> {
  if (!scope.ids.length) return null;
  if (scope.preferred) {
    const first = await placeAndReserve(tx, { ...t, providerIds: [scope.preferred] });
    if (first) return first;
  }
  const rest = scope.preferred ? scope.ids.filter((id) => id !== scope.preferred) : scope.ids;
  return rest.length ? placeAndReserve(tx, { ...t, providerIds: rest }) : null;
}

// Placement of a new machine within its provider scope (provider-scope.ts): the project's
// default provider first when the portal chooses, then the other providers of the scope in the
// order of the project's placement policy (lib/costs/placement-policy.ts), through the one
// placement query (place-machine.ts).
import type { Tx } from "../db/client";
import type { PlacementChoice } from "./provider-scope";
import { placeAndReserve, type Placement, type PlacementTarget } from "./place-machine";
import type { PlacementNeed } from "./placement";
import { loadPlacementInputs, scopeFromInputs } from "./placement-inputs";
import { preferenceFrom } from "../costs/placement-preference";

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

/**
 * A new machine of a project (the provision job): its scope, its project's policy and the price
 * books in force read in ONE statement (placement-inputs.ts), then placed. Returns the scope too
 * (the caller explains an empty one).
 */
export async function placeNewMachine(
  tx: Tx,
  m: { id: string; projectId: string; requestId: string | null; templateId: string; offeringId: string },
  need: PlacementNeed,
  now: Date,
): Promise<{ placement: Placement | null; scope: ReturnType<typeof scopeFromInputs> }> {
  const inputs = await loadPlacementInputs(tx, m);
  const scope = scopeFromInputs(inputs, m);
  if (!scope.ids.length) return { placement: null, scope };
  const inScope = new Set(scope.ids);
  const chosenProviderId = scope.choice.scope === "PROVIDER" ? (scope.choice.providerId ?? null) : null;
  const policy = preferenceFrom(inputs.project.placementPolicy, inputs.providers.filter((x) => inScope.has(x.id)), inputs.catalog, {
    need,
    now,
    preferredProviderId: scope.preferred,
    chosenProviderId,
  });
  const placement = await placeInScope(tx, { templateId: m.templateId, need, requestId: m.requestId, machineId: m.id, projectId: m.projectId, now, policy }, scope);
  return { placement, scope };
}

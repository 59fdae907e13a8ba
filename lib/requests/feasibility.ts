// Feasibility of a request before anyone approves it: can an ACTIVE provider the project may
// use run this template, this offering, and the two together? The same rule as placement
// (`providersForChoice`, with the portal choosing), so the form (which disables what nothing
// can serve, with the reason), submit-request (which refuses it) and the worker never
// disagree. Pure and browser-safe.
import { allowedProviders, providersForChoice, type ProjectProviders, type ScopeProvider } from "../orchestration/provider-scope";

/** Why a choice is not feasible (a message key under `requests.errors`). */
export type FeasibilityProblem = "templateUnavailable" | "offeringUnavailable" | "combinationUnavailable";

function usable(providers: readonly ScopeProvider[], project: ProjectProviders) {
  return allowedProviders(providers, project).filter((p) => p.status === "ACTIVE");
}

/** Whether some active provider of the project has an image for the template. */
export function templateFeasible(providers: readonly ScopeProvider[], project: ProjectProviders, templateId: string): boolean {
  return usable(providers, project).some((p) => p.templateIds.includes(templateId));
}

/** Whether some active provider of the project can run the offering's size. */
export function offeringFeasible(providers: readonly ScopeProvider[], project: ProjectProviders, offeringId: string): boolean {
  return usable(providers, project).some((p) => p.offeringIds === null || p.offeringIds.includes(offeringId));
}

/**
 * The problems of a template + offering choice for the project, by field (empty: feasible).
 * A template nothing can run is reported on the template; an offering no provider sizes on the
 * offering; both servable but never by the same provider on the template.
 */
export function feasibilityProblems(
  providers: readonly ScopeProvider[],
  project: ProjectProviders,
  need: { templateId: string; offeringId: string },
): Partial<Record<"templateId" | "offeringId", FeasibilityProblem>> {
  const out: Partial<Record<"templateId" | "offeringId", FeasibilityProblem>> = {};
  if (!templateFeasible(providers, project, need.templateId)) out.templateId = "templateUnavailable";
  if (!offeringFeasible(providers, project, need.offeringId)) out.offeringId = "offeringUnavailable";
  if (!out.templateId && !out.offeringId && !providersForChoice(providers, project, { scope: "AUTO" }, need).ids.length) {
    out.templateId = "combinationUnavailable";
  }
  return out;
}

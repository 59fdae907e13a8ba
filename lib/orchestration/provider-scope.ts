// Which providers may serve a machine: the project's providers (all of them when the project
// lists none), narrowed by the request's placement target (anywhere, private cloud only, one
// given provider), and kept to those that can serve it at all: active, with the template's
// image, and, on a cloud that sells fixed sizes, with a size for the offering. The request form
// (which providers can serve the choice), submit-request (refuses a choice none can serve) and
// placement in the worker all use `providersForChoice`, so the three never disagree.
// Pure except `loadScopeProviders` / `providerScopeFor`, which read the database.
import type { Db, Tx } from "../db/client";
import type { PlacementScope, ProviderKind, ProviderStatus } from "../generated/prisma/enums";
import { DRIVER_PROFILES } from "../drivers/profiles";

export interface ScopeProvider {
  id: string;
  name: string;
  kind: ProviderKind;
  status: ProviderStatus;
  /** Templates it has an image for. */
  templateIds: readonly string[];
  /** Offerings it has a size for; null: it takes any offering's numbers (a hypervisor). */
  offeringIds: readonly string[] | null;
}

export interface ProjectProviders {
  /** The providers the project may use; empty: every provider. */
  allowedIds: readonly string[];
  defaultProviderId: string | null;
}

export interface PlacementChoice {
  scope: PlacementScope;
  providerId?: string | null;
}

export const isPrivateCloud = (kind: ProviderKind) => DRIVER_PROFILES[kind].cloud === "private";

/** The providers the project may use at all (what the request form offers as targets). */
export function allowedProviders<P extends Pick<ScopeProvider, "id">>(providers: readonly P[], project: ProjectProviders): P[] {
  return project.allowedIds.length ? providers.filter((p) => project.allowedIds.includes(p.id)) : [...providers];
}

/**
 * The providers that can serve the machine under this choice (ACTIVE, allowed, in the target,
 * with the template's image and the offering's size), and the one to try first: the project's
 * default, when the portal chooses and the default is among them.
 */
export function providersForChoice(
  providers: readonly ScopeProvider[],
  project: ProjectProviders,
  choice: PlacementChoice,
  need: { templateId: string; offeringId: string },
): { ids: string[]; preferred: string | null } {
  const ids = allowedProviders(providers, project)
    .filter((p) => p.status === "ACTIVE")
    .filter((p) => (choice.scope === "PRIVATE" ? isPrivateCloud(p.kind) : choice.scope === "PROVIDER" ? p.id === choice.providerId : true))
    .filter((p) => p.templateIds.includes(need.templateId))
    .filter((p) => p.offeringIds === null || p.offeringIds.includes(need.offeringId))
    .map((p) => p.id);
  const preferred = choice.scope === "AUTO" && project.defaultProviderId && ids.includes(project.defaultProviderId) ? project.defaultProviderId : null;
  return { ids, preferred };
}

/** Every provider not disabled, with the templates and offerings it can serve. */
export async function loadScopeProviders(db: Db | Tx): Promise<ScopeProvider[]> {
  const rows = await db.provider.findMany({
    where: { status: { not: "DISABLED" } },
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      kind: true,
      status: true,
      templateRefs: { select: { templateId: true } },
      offeringRefs: { select: { offeringId: true } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    status: r.status,
    templateIds: r.templateRefs.map((t) => t.templateId),
    offeringIds: DRIVER_PROFILES[r.kind].sizing === "mapped" ? r.offeringRefs.map((o) => o.offeringId) : null,
  }));
}

export async function loadProjectProviders(db: Db | Tx, projectId: string): Promise<ProjectProviders> {
  const p = await db.project.findUniqueOrThrow({ where: { id: projectId }, select: { defaultProviderId: true, providers: { select: { providerId: true } } } });
  return { allowedIds: p.providers.map((x) => x.providerId), defaultProviderId: p.defaultProviderId };
}

/** Where a machine may be placed: its project's providers under its request's target. */
export async function providerScopeFor(
  tx: Tx,
  m: { projectId: string; requestId: string | null; templateId: string; offeringId: string },
): Promise<{ ids: string[]; preferred: string | null; choice: PlacementChoice }> {
  const request = m.requestId ? await tx.request.findUnique({ where: { id: m.requestId }, select: { placementScope: true, placementProviderId: true } }) : null;
  const choice: PlacementChoice = { scope: request?.placementScope ?? "AUTO", providerId: request?.placementProviderId ?? null };
  const [providers, project] = await Promise.all([loadScopeProviders(tx), loadProjectProviders(tx, m.projectId)]);
  return { ...providersForChoice(providers, project, choice, { templateId: m.templateId, offeringId: m.offeringId }), choice };
}

/** Why nothing in the scope can serve the machine, in plain words. */
export function emptyScopeReason(choice: PlacementChoice, names: { offering: string; template: string; provider?: string | null }): string {
  const what = `offering ${names.offering} with template ${names.template}`;
  if (choice.scope === "PROVIDER") {
    return names.provider
      ? `Provider ${names.provider} cannot serve ${what} (it is not active, not allowed for the project, or has no image or size for it)`
      : `The provider chosen in the request no longer exists`;
  }
  if (choice.scope === "PRIVATE") return `No active private-cloud provider this project may use serves ${what}`;
  return `No active provider this project may use serves ${what}`;
}

/**
 * The offering's size on a provider: the ref for a kind that sells sizes, null when that kind
 * has none for the offering, undefined for a hypervisor (it takes the numbers).
 */
export async function offeringSizeRef(db: Db | Tx, provider: { id: string; kind: ProviderKind }, offeringId: string): Promise<string | null | undefined> {
  if (DRIVER_PROFILES[provider.kind].sizing !== "mapped") return undefined;
  const row = await db.offeringProviderRef.findUnique({ where: { offeringId_providerId: { offeringId, providerId: provider.id } } });
  return row?.ref ?? null;
}

// Everything placement reads before it places a new machine of a project, in ONE statement
// (issue 9: it was 11 reads per machine through Prisma): the request's placement target, every
// provider with the templates and offerings it serves, the project's providers, default and
// placement policy, and the price books with their versions and items. Read fresh inside the
// placement transaction each time (no cache, so a price or scope change is seen exactly as
// before); the pure functions of provider-scope.ts and lib/costs decide from it.
import type { Tx } from "../db/client";
import type { PlacementScope, PriceItemKind, PriceUnit, ProjectPlacementPolicy, ProviderKind, ProviderStatus } from "../generated/prisma/enums";
import { DRIVER_PROFILES } from "../drivers/profiles";
import { catalogOf, type PriceBookRef, type PriceCatalog } from "../costs/price-lists";
import { providersForChoice, type PlacementChoice, type ProjectProviders, type ScopeProvider } from "./provider-scope";

export interface PlacementInputs {
  choice: PlacementChoice;
  /** Every provider not disabled (as loadScopeProviders). */
  providers: ScopeProvider[];
  project: ProjectProviders & { placementPolicy: ProjectPlacementPolicy };
  catalog: PriceCatalog;
}

interface Row {
  request: { scope: PlacementScope; providerId: string | null } | null;
  project: { placementPolicy: ProjectPlacementPolicy; defaultProviderId: string | null; allowedIds: string[] } | null;
  providers: { id: string; name: string; kind: ProviderKind; status: ProviderStatus; templateIds: string[]; offeringIds: string[] }[];
  books: {
    id: string;
    providerId: string | null;
    providerKind: ProviderKind | null;
    versions: {
      id: string;
      /** Milliseconds since the epoch (a timestamp without time zone, stored in UTC). */
      effectiveFrom: number;
      items: { kind: PriceItemKind; name: string; vcpu: number | null; memoryMb: number | null; unit: PriceUnit; millicents: number }[];
    }[];
  }[];
}

export async function loadPlacementInputs(tx: Tx, m: { projectId: string; requestId: string | null }): Promise<PlacementInputs> {
  const [row] = await tx.$queryRaw<Row[]>`
    select
      (select json_build_object('scope', r."placementScope", 'providerId', r."placementProviderId")
        from "Request" r where r.id = ${m.requestId}::uuid) as request,
      (select json_build_object('placementPolicy', p."placementPolicy", 'defaultProviderId', p."defaultProviderId",
          'allowedIds', coalesce((select json_agg(pp."providerId") from "ProjectProvider" pp where pp."projectId" = p.id), '[]'::json))
        from "Project" p where p.id = ${m.projectId}::uuid) as project,
      coalesce((select json_agg(json_build_object('id', v.id, 'name', v.name, 'kind', v.kind, 'status', v.status,
          'templateIds', coalesce((select json_agg(t."templateId") from "TemplateProviderRef" t where t."providerId" = v.id), '[]'::json),
          'offeringIds', coalesce((select json_agg(o."offeringId") from "OfferingProviderRef" o where o."providerId" = v.id), '[]'::json))
          order by v.name) from "Provider" v), '[]'::json) as providers,
      coalesce((select json_agg(json_build_object('id', b.id, 'providerId', b."providerId", 'providerKind', b."providerKind",
          'versions', coalesce((select json_agg(json_build_object('id', pv.id,
              'effectiveFrom', floor(extract(epoch from pv."effectiveFrom") * 1000)::bigint,
              'items', coalesce((select json_agg(json_build_object('kind', i.kind, 'name', i.name, 'vcpu', i.vcpu, 'memoryMb', i."memoryMb",
                  'unit', i.unit, 'millicents', i.millicents) order by i.id) from "PriceItem" i where i."versionId" = pv.id), '[]'::json))
              order by pv."effectiveFrom") from "PriceVersion" pv where pv."priceBookId" = b.id), '[]'::json))
          order by b.id) from "PriceBook" b), '[]'::json) as books`;
  if (!row.project) throw new Error(`Project ${m.projectId} not found`);
  const books: PriceBookRef[] = row.books.map((b) => ({
    id: b.id,
    providerId: b.providerId,
    providerKind: b.providerKind,
    lists: b.versions.map((v) => ({ versionId: v.id, effectiveFrom: new Date(Number(v.effectiveFrom)), items: v.items })),
  }));
  return {
    choice: { scope: row.request?.scope ?? "AUTO", providerId: row.request?.providerId ?? null },
    providers: row.providers
      .filter((p) => p.status !== "DISABLED")
      .map((p) => ({
        id: p.id,
        name: p.name,
        kind: p.kind,
        status: p.status,
        templateIds: p.templateIds,
        offeringIds: DRIVER_PROFILES[p.kind].sizing === "mapped" ? p.offeringIds : null,
      })),
    project: { allowedIds: row.project.allowedIds, defaultProviderId: row.project.defaultProviderId, placementPolicy: row.project.placementPolicy },
    catalog: catalogOf(books, row.providers),
  };
}

/** The machine's provider scope from the inputs (as providerScopeFor). */
export function scopeFromInputs(inputs: PlacementInputs, m: { templateId: string; offeringId: string }) {
  return { ...providersForChoice(inputs.providers, inputs.project, inputs.choice, { templateId: m.templateId, offeringId: m.offeringId }), choice: inputs.choice };
}

// Placement against the database: the eligibility filters run in SQL (one scan however many
// hosts there are), the best few candidates are ranked by placement.ts, and the first one
// whose conditional reservation succeeds wins. Losing a race for a host just moves on to
// the next candidate; the query is repeated while candidates keep disappearing.
import type { Tx } from "../db/client";
import type { HostState, PlacementPolicy, ProviderStatus } from "../generated/prisma/enums";
import { hostDemand, reserveOnHost } from "./host-capacity";
import { rankHosts, shuffleTies, type PlacementHost, type PlacementNeed } from "./placement";
import { placementPreference } from "../costs/placement-preference";
import type { ProviderPreference, PlacementReason } from "../costs/placement-policy";
import { maintenanceLeadHours } from "../maintenance/settings";

/** How many candidates SQL hands to the ranking (plus hosts already holding siblings). */
const CANDIDATES = 24;
const ROUNDS = 5;

interface CandidateRow {
  id: string;
  providerId: string;
  name: string;
  externalRef: string | null;
  state: HostState;
  providerStatus: ProviderStatus;
  vcpuTotal: number;
  memoryMbTotal: number;
  diskSsdGbTotal: number;
  diskHddGbTotal: number;
  vcpuUsed: number;
  memoryMbUsed: number;
  diskSsdGbUsed: number;
  diskHddGbUsed: number;
  cpuOvercommit: number;
  memoryOvercommit: number;
  diskOvercommit: number;
  placementPolicy: PlacementPolicy;
}

export interface PlacementTarget {
  templateId: string;
  need: PlacementNeed;
  /** Machines of this request count against a host (anti-affinity). */
  requestId?: string | null;
  /** The machine being placed (not its own sibling). */
  machineId?: string;
  /** Only this provider (a resize moves within its provider). */
  providerId?: string;
  /** Only these providers (the machine's project and placement target allow them); empty: none. */
  providerIds?: string[];
  excludeHostIds?: string[];
  /**
   * A new machine of this project (not with `providerId`): its placement policy orders the
   * providers of `providerIds` (lib/costs/placement-policy.ts).
   */
  projectId?: string;
  /** Tried before every other provider (the project's default, when the portal chooses). */
  preferredProviderId?: string | null;
  /** The provider the request targets (placement PROVIDER): recorded as the requester's choice. */
  chosenProviderId?: string | null;
  /** When the policy prices providers (the price books in force then). */
  now?: Date;
  /** Provider order and host scoring from the project's policy (set by placeAndReserve). */
  preference?: Pick<ProviderPreference, "rank" | "hostPolicy">;
}

export interface Placement {
  hostId: string;
  hostName: string;
  hostRef: string;
  providerId: string;
  /** Which policy chose the provider, and why (new machines of a project). */
  reason?: PlacementReason & { text: string; currency: string };
}

/** Hosts that fit, best first by the provider's policy; the same filters as placement.ts. */
export async function candidateHosts(tx: Tx, t: PlacementTarget, limit: number): Promise<CandidateRow[]> {
  const { need } = t;
  const ssd = need.diskTier === "SSD";
  const exclude = t.excludeHostIds ?? [];
  const rank = t.preference?.rank ?? null;
  const hostPolicy = t.preference?.hostPolicy ?? null;
  return tx.$queryRaw<CandidateRow[]>`
    with busy as (
      select w."hostId", w."providerId" from "MaintenanceWindow" w
      where w.status in ('SCHEDULED', 'ACTIVE')
        and w."startsAt" <= now() + make_interval(secs => ${maintenanceLeadHours() * 3600}::float8) and w."endsAt" > now()
    ),
    c as (
      select h.id, h."providerId", h.name, h."externalRef", h.state, p.status as "providerStatus",
        h."vcpuTotal", h."memoryMbTotal", h."diskSsdGbTotal", h."diskHddGbTotal",
        h."vcpuUsed", h."memoryMbUsed", h."diskSsdGbUsed", h."diskHddGbUsed",
        p."cpuOvercommit", p."memoryOvercommit", p."diskOvercommit", p."placementPolicy",
        floor(h."vcpuTotal" * p."cpuOvercommit") as vcap,
        floor(h."memoryMbTotal" * p."memoryOvercommit") as mcap,
        floor((case when ${ssd}::boolean then h."diskSsdGbTotal" else h."diskHddGbTotal" end) * p."diskOvercommit") as dcap,
        (case when ${ssd}::boolean then h."diskSsdGbUsed" else h."diskHddGbUsed" end) as dused
      from "Host" h
      join "Provider" p on p.id = h."providerId" and p.status = 'ACTIVE'
      join "TemplateProviderRef" r on r."providerId" = p.id and r."templateId" = ${t.templateId}::uuid
      where h.state = 'ACTIVE'
        -- Not a host in, or about to enter, a maintenance window of its own or its provider's.
        -- The few windows in force are read once (InitPlans), not probed per host: at 10,000
        -- hosts the per-host anti-join was 90% of the query (two index probes per host).
        and not (h.id = any(array(select w."hostId" from busy w where w."hostId" is not null)))
        and not (h."providerId" = any(array(select w."providerId" from busy w where w."providerId" is not null)))
        and (${t.providerId ?? null}::uuid is null or h."providerId" = ${t.providerId ?? null}::uuid)
        and (${t.providerIds ?? null}::uuid[] is null or h."providerId" = any(${t.providerIds ?? null}::uuid[]))
        and not (h.id = any(${exclude}::uuid[]))
        and (case when ${ssd}::boolean then h."diskSsdGbTotal" else h."diskHddGbTotal" end) > 0
    )
    select id, "providerId", name, "externalRef", state, "providerStatus", "vcpuTotal", "memoryMbTotal", "diskSsdGbTotal",
      "diskHddGbTotal", "vcpuUsed", "memoryMbUsed", "diskSsdGbUsed", "diskHddGbUsed", "cpuOvercommit", "memoryOvercommit",
      "diskOvercommit", "placementPolicy"
    from c
    where "vcpuUsed" + ${need.vcpu}::int <= vcap
      and "memoryMbUsed" + ${need.memoryMb}::int <= mcap
      and dused + ${need.diskGb}::int <= dcap
    order by coalesce(array_position(${rank}::uuid[], "providerId"), 2147483647),
      (case when coalesce(${hostPolicy}::text, "placementPolicy"::text) = 'PACK' then -1 else 1 end) * (
        (vcap - "vcpuUsed" - ${need.vcpu}::int) / greatest(vcap, 1)
      + (mcap - "memoryMbUsed" - ${need.memoryMb}::int) / greatest(mcap, 1)
      + (dcap - dused - ${need.diskGb}::int) / greatest(dcap, 1)) desc, id
    limit ${limit}::int`;
}

async function siblingCounts(tx: Tx, t: PlacementTarget): Promise<Map<string, number>> {
  if (!t.requestId) return new Map();
  const rows = await tx.$queryRaw<{ hostId: string; n: number }[]>`
    select "hostId", count(*)::int as n from "Machine"
    where "requestId" = ${t.requestId}::uuid and "hostId" is not null and "releasedAt" is null
      and state <> 'DELETED' and (${t.machineId ?? null}::uuid is null or id <> ${t.machineId ?? null}::uuid)
    group by "hostId"`;
  return new Map(rows.map((r) => [r.hostId, r.n]));
}

/**
 * Chooses a host and reserves the machine's size on it, atomically. Returns null when no
 * host has room (the caller fails the machine with NO_CAPACITY).
 */
export async function placeAndReserve(tx: Tx, t: PlacementTarget): Promise<Placement | null> {
  if (t.providerIds && t.providerIds.length === 0) return null;
  const policy =
    t.projectId && !t.providerId
      ? await placementPreference(tx, {
          projectId: t.projectId,
          templateId: t.templateId,
          need: t.need,
          now: t.now ?? new Date(),
          providerIds: t.providerIds ?? null,
          preferredProviderId: t.preferredProviderId,
          chosenProviderId: t.chosenProviderId,
        })
      : null;
  // Machines of one request are placed one at a time, so each sees where its siblings went.
  // Taken after the policy (read-only, and the costliest part: price lists), so siblings
  // queue only for the sibling count, the candidate query and the reservation.
  if (t.requestId) await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`placement:${t.requestId}`}))`;
  const siblings = await siblingCounts(tx, t);
  // Without a project (no policy), the preferred provider still comes first.
  const preference = policy?.pref ?? (t.preferredProviderId ? { rank: [t.preferredProviderId], hostPolicy: null } : undefined);
  const rankOf = (providerId: string) => {
    const i = preference?.rank?.indexOf(providerId) ?? -1;
    return i === -1 ? (preference?.rank ? preference.rank.length : 0) : i;
  };
  const tried = new Set<string>();
  for (let round = 0; round < ROUNDS; round++) {
    const rows = await candidateHosts(tx, { ...t, preference, excludeHostIds: [...(t.excludeHostIds ?? []), ...tried] }, CANDIDATES + siblings.size);
    if (rows.length === 0) return null;
    const byId = new Map(rows.map((r) => [r.id, r]));
    const ranked = shuffleTies(rankHosts(
      rows.map(
        (r): PlacementHost => ({
          ...r,
          placementPolicy: preference?.hostPolicy ?? r.placementPolicy,
          hasTemplate: true,
          siblings: siblings.get(r.id) ?? 0,
          providerRank: rankOf(r.providerId),
        }),
      ),
      t.need,
    ), t.need);
    for (const h of ranked) {
      tried.add(h.id);
      if (await reserveOnHost(tx, h.id, hostDemand(t.need))) {
        const row = byId.get(h.id)!;
        return {
          hostId: row.id,
          hostName: row.name,
          hostRef: row.externalRef ?? row.name,
          providerId: row.providerId,
          ...(policy ? { reason: policy.explain(row.providerId) } : {}),
        };
      }
    }
    for (const r of rows) tried.add(r.id);
  }
  return null;
}

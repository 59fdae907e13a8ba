// Placement against the database: the eligibility filters run in SQL (one scan however many
// hosts there are), the best few candidates are ranked by placement.ts, and the first one
// whose conditional reservation succeeds wins. Losing a race for a host just moves on to
// the next candidate; the query is repeated while candidates keep disappearing.
import { Prisma, type Tx } from "../db/client";
import type { HostState, PlacementPolicy, ProviderStatus } from "../generated/prisma/enums";
import { hostDemand, reserveOnHost } from "./host-capacity";
import { rankHosts, shuffleTies, type PlacementHost, type PlacementNeed } from "./placement";
import { placementPreference, type PlacementPreference } from "../costs/placement-preference";
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
  /**
   * The project's policy already decided from data read in this transaction
   * (placement-inputs.ts): placeAndReserve then does not read it again.
   */
  policy?: PlacementPreference;
}

export interface Placement {
  hostId: string;
  hostName: string;
  hostRef: string;
  providerId: string;
  /** Which policy chose the provider, and why (new machines of a project). */
  reason?: PlacementReason & { text: string; currency: string };
}

/**
 * Hosts that fit, best first by the provider's policy; the same filters as placement.ts.
 *
 * Per eligible provider (active, with the template, not in a maintenance window: a handful of
 * rows), the hosts are read from the index on (providerId, free fraction of the disk tier)
 * that the database maintains (migration scale2_host_free_score): most free first for spread,
 * least free first for pack, stopping at the first `limit` that fit. That order is the free
 * fraction before the machine; the few rows read are then ordered by the exact score after it
 * (and placement.ts ranks them again). No scan of every host, no sort of every host. Equal
 * scores: pack reads the index forwards (lowest id first, as placement.ts), spread backwards
 * (shuffleTies randomises near-equal spread hosts anyway).
 */
export async function candidateHosts(tx: Tx, t: PlacementTarget, limit: number): Promise<CandidateRow[]> {
  const { need } = t;
  const ssd = need.diskTier === "SSD";
  const exclude = t.excludeHostIds ?? [];
  const rank = t.preference?.rank ?? null;
  const hostPolicy = t.preference?.hostPolicy ?? null;
  // The tier decides the columns (not a CASE per row, so the index on the free column applies).
  const free = Prisma.raw(ssd ? `h."freeSsd"` : `h."freeHdd"`);
  const diskTotal = Prisma.raw(ssd ? `h."diskSsdGbTotal"` : `h."diskHddGbTotal"`);
  const diskUsed = Prisma.raw(ssd ? `h."diskSsdGbUsed"` : `h."diskHddGbUsed"`);
  // The three fit checks as ONE inequality: PostgreSQL guesses a third of the rows pass an
  // inequality it has no statistics for, so three of them read as 1/27 and the planner would
  // sort the whole provider (bitmap scan) instead of walking the index until enough fit.
  const fits = Prisma.sql`h."providerId" = p.id and h.state = 'ACTIVE' and ${free} is not null
    and greatest(h."vcpuUsed" + ${need.vcpu}::int - floor(h."vcpuTotal" * p."cpuOvercommit"),
      h."memoryMbUsed" + ${need.memoryMb}::int - floor(h."memoryMbTotal" * p."memoryOvercommit"),
      ${diskUsed} + ${need.diskGb}::int - floor(${diskTotal} * p."diskOvercommit")) <= 0
    and not (h.id = any(${exclude}::uuid[]))
    and not (h.id = any(array(select w."hostId" from busy w where w."hostId" is not null)))`;
  return tx.$queryRaw<CandidateRow[]>`
    with busy as (
      select w."hostId", w."providerId" from "MaintenanceWindow" w
      where w.status in ('SCHEDULED', 'ACTIVE')
        and w."startsAt" <= now() + make_interval(secs => ${maintenanceLeadHours() * 3600}::float8) and w."endsAt" > now()
    ),
    p as (
      select p.id, p.status, p."cpuOvercommit", p."memoryOvercommit", p."diskOvercommit", p."placementPolicy",
        coalesce(${hostPolicy}::text, p."placementPolicy"::text) = 'PACK' as pack,
        coalesce(array_position(${rank}::uuid[], p.id), 2147483647) as prank
      from "Provider" p
      join "TemplateProviderRef" r on r."providerId" = p.id and r."templateId" = ${t.templateId}::uuid
      where p.status = 'ACTIVE'
        and (${t.providerId ?? null}::uuid is null or p.id = ${t.providerId ?? null}::uuid)
        and (${t.providerIds ?? null}::uuid[] is null or p.id = any(${t.providerIds ?? null}::uuid[]))
        -- Not a provider with a maintenance window in force or about to start (the few windows
        -- are read once, not probed per host).
        and not (p.id = any(array(select w."providerId" from busy w where w."providerId" is not null)))
    ),
    c as (
      select h.*, p.status as "providerStatus", p."cpuOvercommit", p."memoryOvercommit", p."diskOvercommit", p."placementPolicy", p.pack, p.prank,
        ((floor(h."vcpuTotal" * p."cpuOvercommit") - h."vcpuUsed" - ${need.vcpu}::int) / greatest(floor(h."vcpuTotal" * p."cpuOvercommit"), 1)
          + (floor(h."memoryMbTotal" * p."memoryOvercommit") - h."memoryMbUsed" - ${need.memoryMb}::int) / greatest(floor(h."memoryMbTotal" * p."memoryOvercommit"), 1)
          + (floor(${diskTotal} * p."diskOvercommit") - ${diskUsed} - ${need.diskGb}::int) / greatest(floor(${diskTotal} * p."diskOvercommit"), 1)) / 3 as free_after
      from p cross join lateral (
        (select h.id, h."providerId", h.name, h."externalRef", h.state, h."vcpuTotal", h."memoryMbTotal", h."diskSsdGbTotal",
            h."diskHddGbTotal", h."vcpuUsed", h."memoryMbUsed", h."diskSsdGbUsed", h."diskHddGbUsed"
          from "Host" h where not p.pack and ${fits}
          order by ${free} desc, h.id desc limit ${limit}::int)
        union all
        (select h.id, h."providerId", h.name, h."externalRef", h.state, h."vcpuTotal", h."memoryMbTotal", h."diskSsdGbTotal",
            h."diskHddGbTotal", h."vcpuUsed", h."memoryMbUsed", h."diskSsdGbUsed", h."diskHddGbUsed"
          from "Host" h where p.pack and ${fits}
          order by ${free}, h.id limit ${limit}::int)
      ) h
    )
    select id, "providerId", name, "externalRef", state, "providerStatus", "vcpuTotal", "memoryMbTotal", "diskSsdGbTotal",
      "diskHddGbTotal", "vcpuUsed", "memoryMbUsed", "diskSsdGbUsed", "diskHddGbUsed", "cpuOvercommit", "memoryOvercommit",
      "diskOvercommit", "placementPolicy"
    from c
    -- placement.ts's score: spread the free fraction after the machine, pack 1 minus it.
    order by prank,
      (case when pack then 1 - free_after else free_after end) desc, id
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
    t.policy ??
    (t.projectId && !t.providerId
      ? await placementPreference(tx, {
          projectId: t.projectId,
          templateId: t.templateId,
          need: t.need,
          now: t.now ?? new Date(),
          providerIds: t.providerIds ?? null,
          preferredProviderId: t.preferredProviderId,
          chosenProviderId: t.chosenProviderId,
        })
      : null);
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

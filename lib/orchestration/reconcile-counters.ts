// Recomputes the stored usage counters (Project.used*, Host.*Used) from the facts they are
// meant to sum: the reservations stored on machines not yet released, plus the deltas of
// resizes reserved but not yet applied. Reports drift and repairs it, audited. Run nightly by
// the worker and on demand from /admin/reconcile.
//
// Why it is exact under concurrency: the sums are computed in ONE statement (one snapshot,
// so a resize that commits its new size and its end together is seen either before or after,
// never half), and a repair first locks the counter's row: every writer of a counter updates
// that row in the same transaction as the facts it changes, so once we hold the lock and read
// the facts again, no writer is half-way.
import type { Db, Tx } from "../db/client";
import { recordAudit } from "../audit/record-audit";

export interface CounterDrift {
  kind: "project" | "host";
  id: string;
  name: string;
  stored: Record<string, number>;
  actual: Record<string, number>;
}

export interface CountersOutcome {
  runId: string;
  drift: CounterDrift[];
  repaired: number;
}

interface ProjectRow {
  id: string;
  name: string;
  usedVcpu: number;
  usedMemoryMb: number;
  usedDiskSsdGb: number;
  usedDiskHddGb: number;
  usedMachines: number;
  usedMonthlyCents: number;
  vcpu: number;
  memoryMb: number;
  diskSsdGb: number;
  diskHddGb: number;
  machines: number;
  monthlyCents: number;
}

interface HostRow {
  id: string;
  name: string;
  vcpuUsed: number;
  memoryMbUsed: number;
  diskSsdGbUsed: number;
  diskHddGbUsed: number;
  vcpu: number;
  memoryMb: number;
  diskSsdGb: number;
  diskHddGb: number;
}

/** Projects whose stored usage differs from their machines' reservations (all, or one). */
function projectDrift(db: Db | Tx, projectId: string | null) {
  return db.$queryRaw<ProjectRow[]>`
    with live as (
      select "projectId",
        sum(vcpu)::int as vcpu, sum("memoryMb")::int as "memoryMb",
        sum(case when "diskTier" = 'SSD' then "diskGb" else 0 end)::int as "diskSsdGb",
        sum(case when "diskTier" = 'HDD' then "diskGb" else 0 end)::int as "diskHddGb",
        count(*)::int as machines, sum("monthlyCents")::int as "monthlyCents"
      from "Machine"
      where "releasedAt" is null and (${projectId}::uuid is null or "projectId" = ${projectId}::uuid)
      group by "projectId"
    ), workloads as (
      -- Container workloads hold reservedReplicas x their per-replica limits (lib/workloads/reservation.ts).
      select "projectId",
        sum(vcpu * "reservedReplicas")::int as vcpu, sum("memoryMb" * "reservedReplicas")::int as "memoryMb",
        sum("monthlyCents" * "reservedReplicas")::int as "monthlyCents"
      from "Workload"
      where "releasedAt" is null and (${projectId}::uuid is null or "projectId" = ${projectId}::uuid)
      group by "projectId"
    ), pending as (
      select m."projectId",
        sum((o.result->'resize'->'quotaDelta'->>'vcpu')::int)::int as vcpu,
        sum((o.result->'resize'->'quotaDelta'->>'memoryMb')::int)::int as "memoryMb",
        sum((o.result->'resize'->'quotaDelta'->>'diskSsdGb')::int)::int as "diskSsdGb",
        sum((o.result->'resize'->'quotaDelta'->>'diskHddGb')::int)::int as "diskHddGb",
        sum((o.result->'resize'->'quotaDelta'->>'monthlyCents')::int)::int as "monthlyCents"
      from "Operation" o join "Machine" m on m.id = o."machineId"
      where o.kind = 'RESIZE' and o.status in ('QUEUED', 'RUNNING') and o.result ? 'resize'
        and (${projectId}::uuid is null or m."projectId" = ${projectId}::uuid)
      group by m."projectId"
    ), want as (
      select p.id, p.name, p."usedVcpu", p."usedMemoryMb", p."usedDiskSsdGb", p."usedDiskHddGb", p."usedMachines", p."usedMonthlyCents",
        coalesce(l.vcpu, 0) + coalesce(r.vcpu, 0) + coalesce(wl.vcpu, 0) as vcpu,
        coalesce(l."memoryMb", 0) + coalesce(r."memoryMb", 0) + coalesce(wl."memoryMb", 0) as "memoryMb",
        coalesce(l."diskSsdGb", 0) + coalesce(r."diskSsdGb", 0) as "diskSsdGb",
        coalesce(l."diskHddGb", 0) + coalesce(r."diskHddGb", 0) as "diskHddGb",
        coalesce(l.machines, 0) as machines,
        coalesce(l."monthlyCents", 0) + coalesce(r."monthlyCents", 0) + coalesce(wl."monthlyCents", 0) as "monthlyCents"
      from "Project" p
      left join live l on l."projectId" = p.id
      left join pending r on r."projectId" = p.id
      left join workloads wl on wl."projectId" = p.id
      where (${projectId}::uuid is null or p.id = ${projectId}::uuid)
    )
    select * from want
    where "usedVcpu" <> vcpu or "usedMemoryMb" <> "memoryMb" or "usedDiskSsdGb" <> "diskSsdGb" or "usedDiskHddGb" <> "diskHddGb"
       or "usedMachines" <> machines or "usedMonthlyCents" <> "monthlyCents"
    order by id`;
}

/** Hosts whose stored allocation differs from the machines placed on them (all, or one). */
function hostDrift(db: Db | Tx, hostId: string | null) {
  return db.$queryRaw<HostRow[]>`
    with parts as (
      select "hostId" as host, vcpu, "memoryMb",
        case when "diskTier" = 'SSD' then "diskGb" else 0 end as ssd,
        case when "diskTier" = 'HDD' then "diskGb" else 0 end as hdd
      from "Machine" where "releasedAt" is null and "hostId" is not null
      union all
      -- A resize reserved but not applied: its whole new size on the target host when it
      -- moves, else the difference on its own host.
      select (o.result->'resize'->>'toHostId')::uuid,
        case when o.result->'resize'->>'toHostId' <> o.result->'resize'->>'fromHostId' then (o.result->'resize'->'to'->>'vcpu')::int else (o.result->'resize'->'hostDelta'->>'vcpu')::int end,
        case when o.result->'resize'->>'toHostId' <> o.result->'resize'->>'fromHostId' then (o.result->'resize'->'to'->>'memoryMb')::int else (o.result->'resize'->'hostDelta'->>'memoryMb')::int end,
        case when o.result->'resize'->>'toHostId' <> o.result->'resize'->>'fromHostId'
          then (case when o.result->'resize'->'to'->>'diskTier' = 'SSD' then (o.result->'resize'->'to'->>'diskGb')::int else 0 end)
          else (o.result->'resize'->'hostDelta'->>'diskSsdGb')::int end,
        case when o.result->'resize'->>'toHostId' <> o.result->'resize'->>'fromHostId'
          then (case when o.result->'resize'->'to'->>'diskTier' = 'HDD' then (o.result->'resize'->'to'->>'diskGb')::int else 0 end)
          else (o.result->'resize'->'hostDelta'->>'diskHddGb')::int end
      from "Operation" o
      where o.kind = 'RESIZE' and o.status in ('QUEUED', 'RUNNING') and o.result ? 'resize'
      union all
      -- A move (drain, HA restart) under way: the machine is reserved on its target too.
      select (o.result->'move'->>'toHostId')::uuid, (o.result->'move'->'reserved'->>'vcpu')::int,
        (o.result->'move'->'reserved'->>'memoryMb')::int, (o.result->'move'->'reserved'->>'diskSsdGb')::int,
        (o.result->'move'->'reserved'->>'diskHddGb')::int
      from "Operation" o
      where o.kind in ('MIGRATE', 'HA_RESTART') and o.status in ('QUEUED', 'RUNNING') and o.result ? 'move'
    ), sums as (
      select host, sum(vcpu)::int as vcpu, sum("memoryMb")::int as "memoryMb", sum(ssd)::int as "diskSsdGb", sum(hdd)::int as "diskHddGb"
      from parts where (${hostId}::uuid is null or host = ${hostId}::uuid) group by host
    )
    select h.id, h.name, h."vcpuUsed", h."memoryMbUsed", h."diskSsdGbUsed", h."diskHddGbUsed",
      coalesce(s.vcpu, 0) as vcpu, coalesce(s."memoryMb", 0) as "memoryMb", coalesce(s."diskSsdGb", 0) as "diskSsdGb", coalesce(s."diskHddGb", 0) as "diskHddGb"
    from "Host" h left join sums s on s.host = h.id
    where (${hostId}::uuid is null or h.id = ${hostId}::uuid)
      and (h."vcpuUsed" <> coalesce(s.vcpu, 0) or h."memoryMbUsed" <> coalesce(s."memoryMb", 0)
        or h."diskSsdGbUsed" <> coalesce(s."diskSsdGb", 0) or h."diskHddGbUsed" <> coalesce(s."diskHddGb", 0))
    order by h.id`;
}

const projectStored = (r: ProjectRow) => ({
  vcpu: r.usedVcpu,
  memoryMb: r.usedMemoryMb,
  diskSsdGb: r.usedDiskSsdGb,
  diskHddGb: r.usedDiskHddGb,
  machines: r.usedMachines,
  monthlyCents: r.usedMonthlyCents,
});
const projectActual = (r: ProjectRow) => ({ vcpu: r.vcpu, memoryMb: r.memoryMb, diskSsdGb: r.diskSsdGb, diskHddGb: r.diskHddGb, machines: r.machines, monthlyCents: r.monthlyCents });
const hostStored = (r: HostRow) => ({ vcpu: r.vcpuUsed, memoryMb: r.memoryMbUsed, diskSsdGb: r.diskSsdGbUsed, diskHddGb: r.diskHddGbUsed });
const hostActual = (r: HostRow) => ({ vcpu: r.vcpu, memoryMb: r.memoryMb, diskSsdGb: r.diskSsdGb, diskHddGb: r.diskHddGb });

/**
 * Compares every counter with its facts; with `repair`, sets drifted counters to the facts
 * (each under its row lock, re-checked) and audits each repair. Records a ReconcileRun.
 */
export async function reconcileCounters(
  db: Db,
  opts: { repair: boolean; trigger: string; correlationId: string; actor?: { id: string; email: string } | null },
): Promise<CountersOutcome> {
  const run = await db.reconcileRun.create({ data: { kind: "COUNTERS", trigger: opts.trigger } });
  const drift: CounterDrift[] = [];
  let repaired = 0;
  const auditCtx = { actor: opts.actor ? { ...opts.actor, name: "", role: "ADMIN" as const, memberships: new Map() } : null, correlationId: opts.correlationId };
  try {
    for (const p of await projectDrift(db, null)) {
      drift.push({ kind: "project", id: p.id, name: p.name, stored: projectStored(p), actual: projectActual(p) });
      if (!opts.repair) continue;
      const fixed = await db.$transaction(async (tx) => {
        await tx.$queryRaw`select id from "Project" where id = ${p.id}::uuid for update`;
        const [again] = await projectDrift(tx, p.id);
        if (!again) return false;
        await tx.project.update({
          where: { id: p.id },
          data: {
            usedVcpu: again.vcpu,
            usedMemoryMb: again.memoryMb,
            usedDiskSsdGb: again.diskSsdGb,
            usedDiskHddGb: again.diskHddGb,
            usedMachines: again.machines,
            usedMonthlyCents: again.monthlyCents,
          },
        });
        await recordAudit(tx, auditCtx, { action: "project.usage_repair", targetType: "Project", targetId: p.id, projectId: p.id, before: projectStored(again), after: projectActual(again) });
        return true;
      });
      if (fixed) repaired++;
    }
    for (const h of await hostDrift(db, null)) {
      drift.push({ kind: "host", id: h.id, name: h.name, stored: hostStored(h), actual: hostActual(h) });
      if (!opts.repair) continue;
      const fixed = await db.$transaction(async (tx) => {
        await tx.$queryRaw`select id from "Host" where id = ${h.id}::uuid for update`;
        const [again] = await hostDrift(tx, h.id);
        if (!again) return false;
        await tx.host.update({
          where: { id: h.id },
          data: { vcpuUsed: again.vcpu, memoryMbUsed: again.memoryMb, diskSsdGbUsed: again.diskSsdGb, diskHddGbUsed: again.diskHddGb },
        });
        await recordAudit(tx, auditCtx, { action: "host.usage_repair", targetType: "Host", targetId: h.id, before: hostStored(again), after: hostActual(again) });
        return true;
      });
      if (fixed) repaired++;
    }
    await db.reconcileRun.update({
      where: { id: run.id },
      data: { finishedAt: new Date(), outcome: drift.length ? "drift" : "ok", findings: drift as unknown as object[], repaired },
    });
  } catch (err) {
    await db.reconcileRun.update({ where: { id: run.id }, data: { finishedAt: new Date(), outcome: "error", error: err instanceof Error ? err.message.slice(0, 500) : String(err) } });
    throw err;
  }
  return { runId: run.id, drift, repaired };
}

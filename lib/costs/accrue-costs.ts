// The accrual run (worker task orq-costs, every few minutes): carries every machine's meter
// forward to `until`, writing what it cost into the hourly ledger (CostAccrual).
//
// Incremental: a machine is read only when it may have cost something since its meter (it is
// live, or operations succeeded after the meter's last one), with those operations only.
// Machines are handled in batches by id, each batch in one transaction holding its meters'
// rows, so two runs at once never count an interval twice (the second finds the meters
// already advanced). Hours that have passed are final; the current hour's row grows with each
// run until the hour is over.
import type { Logger } from "pino";
import type { Db, Prisma, Tx } from "../db/client";
import type { DiskTier, MachineState, OperationKind } from "../generated/prisma/enums";
import { resizePlanOf } from "../orchestration/compensations";
import { accrueInterval, roundWithCarry, type BillingEvent, type MeterState } from "./accrual";
import { loadPriceCatalog, type PriceCatalog } from "./price-lists";

/** States in which an imported machine (no provision) is taken to be powered on. */
const POWERED_STATES: readonly MachineState[] = ["RUNNING", "STOPPING", "REBOOTING", "RESIZING"];

export interface AccrueOptions {
  now: Date;
  /** Operations finishing this close to now may not be committed yet: stop short of them. */
  lagMs?: number;
  batchSize?: number;
  log?: Pick<Logger, "info" | "warn" | "debug">;
}

export interface AccrueResult {
  until: Date;
  machines: number;
  rows: number;
}

/** ORQ_COST_ACCRUAL_LAG_SECONDS (default 10). */
export const accrualLagMs = (env: Record<string, string | undefined> = process.env) => {
  const n = Number(env.ORQ_COST_ACCRUAL_LAG_SECONDS);
  return env.ORQ_COST_ACCRUAL_LAG_SECONDS !== undefined && Number.isFinite(n) && n >= 0 ? n * 1000 : 10_000;
};

interface MeterRow {
  machineId: string;
  accruedUntil: Date;
  live: boolean;
  powered: boolean;
  providerId: string | null;
  offeringId: string;
  vcpu: number;
  memoryMb: number;
  diskGb: number;
  diskTier: DiskTier;
  lastSeq: bigint;
  computeCarry: number;
  storageCarry: number;
}

type OpRow = { id: string; machineId: string; seq: bigint; kind: OperationKind; finishedAt: Date | null; params: Prisma.JsonValue; result: Prisma.JsonValue };

export async function accrueCosts(db: Db, opts: AccrueOptions): Promise<AccrueResult> {
  const until = new Date(Math.floor((opts.now.getTime() - (opts.lagMs ?? accrualLagMs())) / 1000) * 1000);
  const batchSize = opts.batchSize ?? 500;
  const catalog = await loadPriceCatalog(db);
  let cursor = "00000000-0000-0000-0000-000000000000";
  let machines = 0;
  let rows = 0;
  for (;;) {
    const ids = await db.$queryRaw<{ id: string }[]>`
      select m.id from "Machine" m
      left join "CostMeter" c on c."machineId" = m.id
      where m.id > ${cursor}::uuid
        and (c."machineId" is null
          or (c."accruedUntil" < ${until} and (c.live or exists (
            select 1 from "Operation" o
            where o."machineId" = m.id and o.seq > c."lastSeq" and o.status = 'SUCCEEDED'
              and o.kind in ('PROVISION', 'START', 'STOP', 'RESIZE', 'DELETE')))))
      order by m.id
      limit ${batchSize}::int`;
    if (!ids.length) break;
    cursor = ids[ids.length - 1].id;
    const r = await db.$transaction((tx) => accrueBatch(tx, ids.map((x) => x.id), until, catalog), { timeout: 120_000, maxWait: 30_000 });
    machines += r.machines;
    rows += r.rows;
  }
  // Never backwards (a run asked for an earlier moment accrues nothing new).
  await db.$executeRaw`
    insert into "CostLedger" (id, "accruedUntil", "updatedAt") values (1, ${until}, now())
    on conflict (id) do update set "accruedUntil" = greatest("CostLedger"."accruedUntil", excluded."accruedUntil"), "updatedAt" = now()`;
  opts.log?.debug({ until, machines, rows }, "costs accrued");
  return { until, machines, rows };
}

async function accrueBatch(tx: Tx, ids: string[], until: Date, catalog: PriceCatalog): Promise<{ machines: number; rows: number }> {
  // Hold the meters (a concurrent run waits, then finds them advanced).
  await tx.$executeRaw`select pg_advisory_xact_lock(hashtext('orq-cost-accrual'))`;
  const meters = new Map(
    (await tx.$queryRaw<MeterRow[]>`select * from "CostMeter" where "machineId" = any(${ids}::uuid[]) for update`).map((m) => [m.machineId, m]),
  );
  const machineRows = await tx.machine.findMany({
    where: { id: { in: ids } },
    select: { id: true, projectId: true, ownerId: true, offeringId: true, providerId: true, createdAt: true, state: true, vcpu: true, memoryMb: true, diskGb: true, diskTier: true },
  });
  const ops = await tx.$queryRaw<OpRow[]>`
    select o.id, o."machineId", o.seq, o.kind, o."finishedAt", o.params, o.result
    from "Operation" o left join "CostMeter" c on c."machineId" = o."machineId"
    where o."machineId" = any(${ids}::uuid[]) and o.status = 'SUCCEEDED'
      and o.kind in ('PROVISION', 'START', 'STOP', 'RESIZE', 'DELETE')
      and o.seq > coalesce(c."lastSeq", 0)
    order by o."machineId", o.seq`;
  const opsBy = new Map<string, OpRow[]>();
  for (const o of ops) opsBy.set(o.machineId, [...(opsBy.get(o.machineId) ?? []), o]);
  const fresh = machineRows.filter((m) => !meters.has(m.id)).map((m) => m.id);
  const provisioned = new Set(
    fresh.length
      ? (await tx.operation.findMany({ where: { machineId: { in: fresh }, kind: "PROVISION" }, select: { machineId: true }, distinct: ["machineId"] })).map((o) => o.machineId)
      : [],
  );

  const accruals: {
    machineId: string[];
    hour: string[];
    projectId: string[];
    ownerId: string[];
    offeringId: string[];
    providerId: string[];
    compute: string[];
    storage: string[];
    powered: number[];
    live: number[];
  } = { machineId: [], hour: [], projectId: [], ownerId: [], offeringId: [], providerId: [], compute: [], storage: [], powered: [], live: [] };
  const next: MeterRow[] = [];

  for (const m of machineRows) {
    const mops = opsBy.get(m.id) ?? [];
    const meter = meters.get(m.id) ?? initialMeter(m, mops, provisioned.has(m.id));
    if (meter.accruedUntil.getTime() >= until.getTime()) continue;
    const state: MeterState = {
      live: meter.live,
      powered: meter.powered,
      providerId: meter.providerId,
      offeringId: meter.offeringId,
      size: { vcpu: meter.vcpu, memoryMb: meter.memoryMb, diskGb: meter.diskGb, diskTier: meter.diskTier },
    };
    // Operations in order up to the first that finished after `until` (it and those behind it
    // wait for the next run).
    const late = mops.findIndex((o) => !o.finishedAt || o.finishedAt.getTime() > until.getTime());
    const due = late === -1 ? mops : mops.slice(0, late);
    const events = due.flatMap((o) => eventOf(o, m.providerId));
    const res = accrueInterval(state, meter.accruedUntil, until, events, catalog.listsFor);
    const compute = roundWithCarry(res.buckets.map((b) => b.compute), meter.computeCarry);
    const storage = roundWithCarry(res.buckets.map((b) => b.storage), meter.storageCarry);
    res.buckets.forEach((b, i) => {
      accruals.machineId.push(m.id);
      accruals.hour.push(b.hour.toISOString().replace("Z", ""));
      accruals.projectId.push(m.projectId);
      accruals.ownerId.push(m.ownerId);
      accruals.offeringId.push(b.offeringId);
      accruals.providerId.push(b.providerId);
      accruals.compute.push(String(compute.rounded[i]));
      accruals.storage.push(String(storage.rounded[i]));
      accruals.powered.push(Math.round(b.poweredMs / 1000));
      accruals.live.push(Math.round(b.liveMs / 1000));
    });
    const lastSeq = due.length ? BigInt(due[due.length - 1].seq) : meter.lastSeq;
    next.push({
      machineId: m.id,
      accruedUntil: res.until,
      live: res.state.live,
      powered: res.state.powered,
      providerId: res.state.providerId,
      offeringId: res.state.offeringId,
      ...res.state.size,
      lastSeq,
      computeCarry: compute.carry,
      storageCarry: storage.carry,
    });
  }

  if (accruals.machineId.length) {
    await tx.$executeRaw`
      insert into "CostAccrual" ("machineId", hour, "projectId", "ownerId", "offeringId", "providerId", "computeMillicents", "storageMillicents", "poweredSeconds", "liveSeconds")
      select * from unnest(${accruals.machineId}::uuid[], ${accruals.hour}::timestamp(3)[], ${accruals.projectId}::uuid[], ${accruals.ownerId}::uuid[],
        ${accruals.offeringId}::uuid[], ${accruals.providerId}::uuid[], ${accruals.compute}::bigint[], ${accruals.storage}::bigint[],
        ${accruals.powered}::int[], ${accruals.live}::int[])
      on conflict ("machineId", hour) do update set
        "computeMillicents" = "CostAccrual"."computeMillicents" + excluded."computeMillicents",
        "storageMillicents" = "CostAccrual"."storageMillicents" + excluded."storageMillicents",
        "poweredSeconds" = "CostAccrual"."poweredSeconds" + excluded."poweredSeconds",
        "liveSeconds" = "CostAccrual"."liveSeconds" + excluded."liveSeconds",
        "offeringId" = excluded."offeringId",
        "providerId" = excluded."providerId",
        "projectId" = excluded."projectId",
        "ownerId" = excluded."ownerId"`;
  }
  if (next.length) {
    const col = <K extends keyof MeterRow>(k: K) => next.map((n) => n[k]);
    await tx.$executeRaw`
      insert into "CostMeter" ("machineId", "accruedUntil", live, powered, "providerId", "offeringId", vcpu, "memoryMb", "diskGb", "diskTier", "lastSeq", "computeCarry", "storageCarry", "updatedAt")
      select u.*, now() from unnest(${col("machineId")}::uuid[], ${next.map((n) => n.accruedUntil.toISOString().replace("Z", ""))}::timestamp(3)[],
        ${col("live")}::boolean[], ${col("powered")}::boolean[], ${col("providerId")}::uuid[], ${col("offeringId")}::uuid[],
        ${col("vcpu")}::int[], ${col("memoryMb")}::int[], ${col("diskGb")}::int[], ${col("diskTier")}::"DiskTier"[],
        ${next.map((n) => n.lastSeq.toString())}::bigint[], ${col("computeCarry")}::float8[], ${col("storageCarry")}::float8[]) as u
      on conflict ("machineId") do update set
        "accruedUntil" = excluded."accruedUntil", live = excluded.live, powered = excluded.powered, "providerId" = excluded."providerId",
        "offeringId" = excluded."offeringId", vcpu = excluded.vcpu, "memoryMb" = excluded."memoryMb", "diskGb" = excluded."diskGb",
        "diskTier" = excluded."diskTier", "lastSeq" = excluded."lastSeq", "computeCarry" = excluded."computeCarry",
        "storageCarry" = excluded."storageCarry", "updatedAt" = now()`;
  }
  return { machines: next.length, rows: accruals.machineId.length };
}

type MachineFacts = {
  id: string;
  offeringId: string;
  providerId: string | null;
  createdAt: Date;
  state: MachineState;
  vcpu: number;
  memoryMb: number;
  diskGb: number;
  diskTier: DiskTier;
};

const paramsOf = (o: { params: Prisma.JsonValue }) => (o.params && typeof o.params === "object" && !Array.isArray(o.params) ? (o.params as Record<string, unknown>) : {});

/**
 * The meter of a machine seen for the first time, as it was when it was created: the size
 * before its first resize, not live until provisioned; a machine imported from a provider (no
 * provision at all) is live from its creation, powered on when its first operation found it so.
 */
export function initialMeter(m: MachineFacts, ops: readonly OpRow[], hasProvision: boolean): MeterRow {
  let size = { vcpu: m.vcpu, memoryMb: m.memoryMb, diskGb: m.diskGb, diskTier: m.diskTier };
  let offeringId = m.offeringId;
  const firstResize = ops.find((o) => o.kind === "RESIZE");
  const plan = firstResize ? resizePlanOf(firstResize) : null;
  if (plan) {
    const d = plan.quotaDelta;
    const ssd = (plan.to.diskTier === "SSD" ? plan.to.diskGb : 0) - d.diskSsdGb;
    const hdd = (plan.to.diskTier === "HDD" ? plan.to.diskGb : 0) - d.diskHddGb;
    size = { vcpu: plan.to.vcpu - d.vcpu, memoryMb: plan.to.memoryMb - d.memoryMb, diskGb: ssd + hdd, diskTier: ssd > 0 ? "SSD" : "HDD" };
    offeringId = plan.fromOfferingId;
  }
  const imported = !hasProvision && m.providerId !== null;
  const firstFrom = ops.length ? paramsOf(ops[0]).fromState : undefined;
  const stateThen = (typeof firstFrom === "string" ? firstFrom : m.state) as MachineState;
  return {
    machineId: m.id,
    accruedUntil: m.createdAt,
    live: imported,
    powered: imported && POWERED_STATES.includes(stateThen),
    providerId: m.providerId,
    offeringId,
    ...size,
    lastSeq: BigInt(0),
    computeCarry: 0,
    storageCarry: 0,
  };
}

function eventOf(o: OpRow, machineProviderId: string | null): BillingEvent[] {
  if (!o.finishedAt) return [];
  const at = o.finishedAt;
  const seq = BigInt(o.seq);
  switch (o.kind) {
    case "PROVISION": {
      const placed = (o.result as { placement?: { providerId?: string } } | null)?.placement?.providerId;
      return [{ kind: "PROVISION", at, seq, providerId: placed ?? machineProviderId }];
    }
    case "START":
    case "STOP":
    case "DELETE":
      return [{ kind: o.kind, at, seq }];
    case "RESIZE": {
      const plan = resizePlanOf(o);
      if (!plan) return [];
      const { vcpu, memoryMb, diskGb, diskTier } = plan.to;
      return [{ kind: "RESIZE", at, seq, size: { vcpu, memoryMb, diskGb, diskTier }, offeringId: plan.toOfferingId }];
    }
    default:
      return [];
  }
}

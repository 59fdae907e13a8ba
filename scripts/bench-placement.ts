// Placement at scale: 10,000 hosts over 10 providers in a throw-away embedded PostgreSQL, then
// placements (filter in SQL, rank the top candidates, reserve atomically) timed one by one.
// Prints figures; never an assertion. "before" is the candidate query of the previous release
// (a scan of every eligible host and a sort on the computed score, kept here verbatim), timed
// interleaved with the current one in the same run and database. Run:
//   node_modules/.bin/tsx --conditions=react-server scripts/bench-placement.ts [hosts] [placements]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPrisma, type Tx } from "../lib/db/client";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";
import pgmod from "pg";
import { candidateHosts, placeAndReserve, type PlacementTarget } from "../lib/orchestration/place-machine";
import { rankHosts, shuffleTies, type PlacementHost } from "../lib/orchestration/placement";
import { hostDemand, reserveOnHost } from "../lib/orchestration/host-capacity";
import { maintenanceLeadHours } from "../lib/maintenance/settings";

type Row = Omit<PlacementHost, "hasTemplate" | "siblings"> & { name: string; externalRef: string | null };

// The previous release's candidate query (before migration scale2_host_free_score).
async function legacyCandidateHosts(tx: Tx, t: PlacementTarget, limit: number): Promise<Row[]> {
  const { need } = t;
  const ssd = need.diskTier === "SSD";
  const exclude = t.excludeHostIds ?? [];
  const rank = t.preference?.rank ?? null;
  const hostPolicy = t.preference?.hostPolicy ?? null;
  return tx.$queryRaw<Row[]>`
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

/** The previous placement without a project policy: legacy candidates, rank, reserve. */
async function legacyPlace(tx: Tx, t: PlacementTarget): Promise<string | null> {
  const tried = new Set<string>();
  for (let round = 0; round < 5; round++) {
    const rows = await legacyCandidateHosts(tx, { ...t, excludeHostIds: [...tried] }, 24);
    if (rows.length === 0) return null;
    const ranked = shuffleTies(rankHosts(rows.map((r) => ({ ...r, hasTemplate: true, siblings: 0 })), t.need), t.need);
    for (const h of ranked) {
      tried.add(h.id);
      if (await reserveOnHost(tx, h.id, hostDemand(t.need))) return h.id;
    }
  }
  return null;
}

const HOSTS = Number(process.argv[2] ?? 10_000);
const PLACEMENTS = Number(process.argv[3] ?? 300);
const PROVIDERS = 10;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

async function main() {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "orq-bench-"));
  fs.chmodSync(base, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: path.join(base, "data"), persistent: false, database: "bench" });
  const db = createPrisma(pg.url);
  try {
    await migrate(pg.url);
    const template = await db.template.create({ data: { name: "bench", osFamily: "LINUX", osName: "Debian", osVersion: "12" } });
    const t0 = Date.now();
    for (let p = 0; p < PROVIDERS; p++) {
      const provider = await db.provider.create({
        data: { name: `bench-${p}`, kind: "SIMULATOR", placementPolicy: p % 2 ? "PACK" : "SPREAD", status: p === 9 ? "DISABLED" : "ACTIVE" },
      });
      if (p !== 8) await db.templateProviderRef.create({ data: { templateId: template.id, providerId: provider.id, ref: "img" } });
      const per = HOSTS / PROVIDERS;
      await db.host.createMany({
        data: Array.from({ length: per }, (_, i) => ({
          providerId: provider.id,
          name: `h-${p}-${i}`,
          state: i % 50 === 0 ? ("MAINTENANCE" as const) : ("ACTIVE" as const),
          vcpuTotal: 32 + (i % 4) * 16,
          memoryMbTotal: 262144,
          diskSsdGbTotal: i % 3 === 0 ? 0 : 4000,
          diskHddGbTotal: 12000,
          vcpuUsed: (i * 7) % 100,
          memoryMbUsed: ((i * 13) % 200) * 1024,
          diskSsdGbUsed: i % 3 === 0 ? 0 : (i * 11) % 3000,
        })),
      });
    }
    await db.$executeRawUnsafe(`analyze "Host"`);
    console.log(`seeded ${HOSTS} hosts on ${PROVIDERS} providers in ${Date.now() - t0} ms`);

    const need = { vcpu: 4, memoryMb: 8192, diskGb: 100, diskTier: "SSD" as const };
    const target = { templateId: template.id, need };
    const before: number[] = [];
    const after: number[] = [];
    const qBefore: number[] = [];
    const qAfter: number[] = [];
    let placed = 0;
    // Warm both (plans, caches), then interleave so load changes hit both sides alike.
    for (let i = 0; i < 5; i++) {
      await db.$transaction((tx) => legacyCandidateHosts(tx, target, 24));
      await db.$transaction((tx) => candidateHosts(tx, target, 24));
    }
    for (let i = 0; i < PLACEMENTS; i++) {
      let s = performance.now();
      await db.$transaction((tx) => legacyPlace(tx, target));
      before.push(performance.now() - s);
      s = performance.now();
      const p = await db.$transaction((tx) => placeAndReserve(tx, target));
      after.push(performance.now() - s);
      if (p) placed++;
      if (i % 5 === 0) {
        s = performance.now();
        await db.$transaction((tx) => legacyCandidateHosts(tx, target, 24));
        qBefore.push(performance.now() - s);
        s = performance.now();
        await db.$transaction((tx) => candidateHosts(tx, target, 24));
        qAfter.push(performance.now() - s);
      }
    }
    const line = (xs: number[]) =>
      `mean ${fmt(xs.reduce((a, b) => a + b, 0) / xs.length)}  p50 ${fmt(pct(xs, 50))}  p95 ${fmt(pct(xs, 95))}  p99 ${fmt(pct(xs, 99))}  max ${fmt(Math.max(...xs))}`;
    console.log(`load average at the end: ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
    console.log(`placements (filter + rank + atomic reservation, one transaction each): ${PLACEMENTS} each side, placed ${placed} (after)`);
    console.log(`  before: ${line(before)}`);
    console.log(`  after:  ${line(after)}`);
    console.log(`  ratio before/after: p50 ${(pct(before, 50) / pct(after, 50)).toFixed(1)}x  p99 ${(pct(before, 99) / pct(after, 99)).toFixed(1)}x`);
    console.log(`candidate query alone (${qAfter.length} each):`);
    console.log(`  before: ${line(qBefore)}`);
    console.log(`  after:  ${line(qAfter)}`);

    // 50 at once through the pool: never a host over its ratio.
    await Promise.all(Array.from({ length: 50 }, () => db.$transaction((tx) => placeAndReserve(tx, target), { maxWait: 30_000, timeout: 30_000 })));
    const over = await db.$queryRawUnsafe<{ n: bigint }[]>(
      `select count(*) n from "Host" h join "Provider" p on p.id = h."providerId"
       where h."vcpuUsed" > floor(h."vcpuTotal" * p."cpuOvercommit") or h."memoryMbUsed" > floor(h."memoryMbTotal" * p."memoryOvercommit")
          or h."diskSsdGbUsed" > floor(h."diskSsdGbTotal" * p."diskOvercommit")`,
    );
    const drift = await db.$queryRawUnsafe<{ n: bigint }[]>(
      `select count(*) n from "Host" h join "Provider" p on p.id = h."providerId"
       where h."freeSsd" is distinct from host_free(h."vcpuTotal", h."vcpuUsed", h."memoryMbTotal", h."memoryMbUsed",
         h."diskSsdGbTotal", h."diskSsdGbUsed", p."cpuOvercommit", p."memoryOvercommit", p."diskOvercommit")`,
    );
    console.log(`50 concurrent placements: overcommitted hosts ${over[0].n}; hosts whose maintained free fraction disagrees with its usage ${drift[0].n}`);

    // The plans of both candidate queries, then planning and execution time inside PostgreSQL on
    // a warm connection (median of 20; the first plan pays the catalogue reads).
    if (process.env.ORQ_BENCH_EXPLAIN !== "0") {
      const capture = async (run: () => Promise<unknown>) => {
        const original = pgmod.Client.prototype.query;
        let captured: { text: string; values: unknown[] } | null = null;
        (pgmod.Client.prototype as { query: unknown }).query = function (this: pgmod.Client, ...args: unknown[]) {
          const q = args[0] as string | { text?: string; values?: unknown[] };
          const text = typeof q === "string" ? q : (q?.text ?? "");
          if (!captured && text.includes("with busy as")) captured = { text, values: (typeof q === "string" ? (args[1] as unknown[]) : q.values) ?? [] };
          return (original as (...a: unknown[]) => unknown).apply(this, args);
        };
        try {
          await run();
        } finally {
          pgmod.Client.prototype.query = original;
        }
        return captured as { text: string; values: unknown[] } | null;
      };
      const client = new pgmod.Client({ connectionString: pg.url });
      await client.connect();
      for (const [label, run] of [
        ["before", () => db.$transaction((tx) => legacyCandidateHosts(tx, target, 24))],
        ["after", () => db.$transaction((tx) => candidateHosts(tx, target, 24))],
      ] as const) {
        const c = await capture(run);
        if (!c) continue;
        const plan = await client.query(`explain (analyze, buffers) ${c.text}`, c.values);
        if (label === "after") console.log(`candidate query plan (${label}):\n` + plan.rows.map((r: Record<string, string>) => "  " + r["QUERY PLAN"]).join("\n"));
        const planning: number[] = [];
        const execution: number[] = [];
        for (let i = 0; i < 20; i++) {
          const w = await client.query(`explain (analyze, timing off, summary, format json) ${c.text}`, c.values);
          const j = (w.rows[0] as { "QUERY PLAN": { "Planning Time": number; "Execution Time": number }[] })["QUERY PLAN"][0];
          planning.push(j["Planning Time"]);
          execution.push(j["Execution Time"]);
        }
        console.log(`in PostgreSQL, warm connection (${label}): planning p50 ${fmt(pct(planning, 50))}, execution p50 ${fmt(pct(execution, 50))}`);
      }
      await client.end();
    }

    // The pure ranking alone over every host (what scoring all 10,000 in TypeScript would cost).
    const rows = await db.host.findMany({ include: { provider: true } });
    const hosts: PlacementHost[] = rows.map((h) => ({
      ...h,
      providerStatus: h.provider.status,
      hasTemplate: true,
      cpuOvercommit: h.provider.cpuOvercommit,
      memoryOvercommit: h.provider.memoryOvercommit,
      diskOvercommit: h.provider.diskOvercommit,
      placementPolicy: h.provider.placementPolicy,
      siblings: 0,
    }));
    const r: number[] = [];
    for (let i = 0; i < 50; i++) {
      const s = performance.now();
      rankHosts(hosts, need);
      r.push(performance.now() - s);
    }
    console.log(`rankHosts over all ${hosts.length} hosts in memory: p50 ${fmt(pct(r, 50))}  p95 ${fmt(pct(r, 95))}`);
  } finally {
    await db.$disconnect();
    await pg.stop();
    fs.rmSync(base, { recursive: true, force: true });
  }
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});

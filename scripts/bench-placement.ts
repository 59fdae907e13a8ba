// Placement at scale: 10,000 hosts over 10 providers in a throw-away embedded PostgreSQL, then
// placements (filter in SQL, rank the top candidates, reserve atomically) timed one by one.
// Prints figures; never an assertion. Run:
//   node_modules/.bin/tsx --conditions=react-server scripts/bench-placement.ts [hosts] [placements]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPrisma } from "../lib/db/client";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";
import pgmod from "pg";
import { candidateHosts, placeAndReserve } from "../lib/orchestration/place-machine";
import { rankHosts, type PlacementHost } from "../lib/orchestration/placement";

const HOSTS = Number(process.argv[2] ?? 10_000);
const PLACEMENTS = Number(process.argv[3] ?? 500);
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
    const times: number[] = [];
    let placed = 0;
    for (let i = 0; i < PLACEMENTS; i++) {
      const s = performance.now();
      const p = await db.$transaction((tx) => placeAndReserve(tx, { templateId: template.id, need }));
      times.push(performance.now() - s);
      if (p) placed++;
    }
    console.log(`placements (SQL filter + rank + atomic reservation, one transaction each): ${PLACEMENTS}, placed ${placed}`);
    console.log(`  mean ${fmt(times.reduce((a, b) => a + b, 0) / times.length)}  p50 ${fmt(pct(times, 50))}  p95 ${fmt(pct(times, 95))}  max ${fmt(Math.max(...times))}`);

    // The plan of the candidate query (the placement's one scan over the hosts).
    if (process.env.ORQ_BENCH_EXPLAIN !== "0") {
      const original = pgmod.Client.prototype.query;
      let captured: { text: string; values: unknown[] } | null = null;
      (pgmod.Client.prototype as { query: unknown }).query = function (this: pgmod.Client, ...args: unknown[]) {
        const q = args[0] as string | { text?: string; values?: unknown[] };
        const text = typeof q === "string" ? q : (q?.text ?? "");
        if (!captured && text.includes("with busy as")) captured = { text, values: (typeof q === "string" ? (args[1] as unknown[]) : q.values) ?? [] };
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      };
      await db.$transaction((tx) => candidateHosts(tx, { templateId: template.id, need }, 24));
      pgmod.Client.prototype.query = original;
      if (captured) {
        const c = captured as { text: string; values: unknown[] };
        const client = new pgmod.Client({ connectionString: pg.url });
        await client.connect();
        const plan = await client.query(`explain (analyze, buffers) ${c.text}`, c.values);
        await client.end();
        console.log("candidate query plan:\n" + plan.rows.map((r: Record<string, string>) => "  " + r["QUERY PLAN"]).join("\n"));
      }
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

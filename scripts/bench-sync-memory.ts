// Worker memory during the inventory sync (issue 9: <= 300 MB). Seeds a throw-away embedded
// PostgreSQL with the bench data (default 10,000 hosts, 100,000 machines over 10 simulator
// providers, 1,000 projects), gives every live machine its simulator resource (so the listing is
// as big as the estate and the machines agree with it), then runs the 5-minute job's work,
// syncAllProviders, in this process while sampling its RSS. Prints figures; never an assertion.
//   node_modules/.bin/tsx --conditions=react-server scripts/bench-sync-memory.ts [machines] [hosts] [projects]
// ORQ_BENCH_PER_PROVIDER=1 with NODE_OPTIONS=--expose-gc: per provider, its peak and what stays live.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createPrisma } from "../lib/db/client";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";
import { seed } from "../bench/seed";
import { syncAllProviders, syncProviderInventory } from "../lib/providers/sync-inventory";

const MACHINES = Number(process.argv[2] ?? 100_000);
const HOSTS = Number(process.argv[3] ?? 10_000);
const PROJECTS = Number(process.argv[4] ?? 1_000);
const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;

async function main() {
  process.env.ORQ_LOG_LEVEL ??= "warn";
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "orq-bench-"));
  fs.chmodSync(base, 0o755);
  const embedded = await startEmbeddedPostgres({ dataDir: path.join(base, "data"), persistent: false, database: "bench" });
  try {
    await migrate(embedded.url);
    const t0 = Date.now();
    await seed(embedded.url, { hosts: HOSTS, machines: MACHINES, projects: PROJECTS });
    const c = new pg.Client({ connectionString: embedded.url });
    await c.connect();
    // One simulator resource per live machine, tagged with its id; the machine points at it.
    await c.query(`
      with s as (
        insert into "SimMachine"(id, "providerId", "idempotencyKey", name, "powerState", vcpu, "memoryMb", "diskGb", "hostName", "updatedAt")
        select gen_random_uuid(), m."providerId", m.id::text, m.name,
          case when m.state = 'STOPPED' then 'STOPPED' else 'RUNNING' end, m.vcpu, m."memoryMb", m."diskGb", h.name, now()
        from "Machine" m left join "Host" h on h.id = m."hostId"
        where m."providerId" is not null and m.state not in ('DELETED', 'FAILED')
        returning id, "idempotencyKey"
      )
      update "Machine" m set "externalRef" = s.id::text from s where m.id::text = s."idempotencyKey"`);
    await c.query(`analyze`);
    const counts = (await c.query(`select (select count(*) from "Machine") as machines, (select count(*) from "SimMachine") as sim, (select count(*) from "Provider") as providers`)).rows[0];
    await c.end();
    console.log(`seeded ${counts.machines} machines (${counts.sim} on the simulator), ${counts.providers} providers in ${Date.now() - t0} ms`);

    const db = createPrisma(embedded.url);
    await db.$queryRaw`select 1`;
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    let peakHeap = process.memoryUsage().heapUsed;
    const timer = setInterval(() => {
      const u = process.memoryUsage();
      peak = Math.max(peak, u.rss);
      peakHeap = Math.max(peakHeap, u.heapUsed);
    }, 20);
    const s = Date.now();
    let results: Awaited<ReturnType<typeof syncAllProviders>>;
    if (process.env.ORQ_BENCH_PER_PROVIDER === "1") {
      // One provider at a time (as syncAllProviders does), with what stays live after each
      // (needs node --expose-gc): tells garbage not yet collected from memory really held.
      results = [];
      const providers = await db.provider.findMany({ where: { status: { not: "DISABLED" } }, select: { id: true }, orderBy: { name: "asc" } });
      for (const p of providers) {
        const from = peak;
        peak = process.memoryUsage().rss;
        results.push(await syncProviderInventory(db, p.id, new Date()));
        const providerPeak = peak;
        peak = Math.max(from, peak);
        global.gc?.();
        console.log(`  provider ${p.id.slice(0, 8)}: peak RSS ${mb(providerPeak)}, after gc heap used ${mb(process.memoryUsage().heapUsed)}, RSS ${mb(process.memoryUsage().rss)}`);
      }
    } else {
      results = await syncAllProviders(db, new Date());
    }
    clearInterval(timer);
    const ok = results.filter((r) => r.ok).length;
    const seen = results.reduce((n, r) => n + (r.ok ? r.seen : 0), 0);
    const drifted = results.reduce((n, r) => n + (r.ok ? r.drifted : 0), 0);
    const unmanaged = results.reduce((n, r) => n + (r.ok ? r.unmanaged : 0), 0);
    console.log(`load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
    console.log(`syncAllProviders: ${ok}/${results.length} providers ok, ${seen} resources seen, ${drifted} drifted, ${unmanaged} unmanaged, ${Date.now() - s} ms`);
    console.log(`RSS before ${mb(before)}, peak ${mb(peak)} (+${mb(peak - before)}); peak heap used ${mb(peakHeap)}`);
    await db.$disconnect();
  } finally {
    await embedded.stop();
    fs.rmSync(base, { recursive: true, force: true });
  }
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});

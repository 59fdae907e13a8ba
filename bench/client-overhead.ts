// Client CPU per statement: the same statements through the Prisma client (raw SQL, a model
// query, an interactive transaction) and through node-postgres directly, on one throw-away
// embedded PostgreSQL, measured with process.cpuUsage() after a warm-up (BENCHMARKS.md
// "Bursts: where a machine's CPU goes"). Prints figures; never an assertion. Run:
//   node_modules/.bin/tsx --conditions=react-server bench/client-overhead.ts
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Pool } from "pg";
import { createPrisma } from "../lib/db/client";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";
async function main() {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "orq-bench-")); fs.chmodSync(base, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: path.join(base, "data"), persistent: false, database: "bench" });
  try {
    await migrate(pg.url);
    const db = createPrisma(pg.url);
    const pool = new Pool({ connectionString: pg.url, max: 4 });
    const N = 3000;
    const id = "00000000-0000-0000-0000-000000000000";
    const cases: [string, () => Promise<unknown>][] = [
      ["prisma $queryRaw select by id", () => db.$queryRaw`select id, name from "Project" where id = ${id}::uuid`],
      ["prisma findUnique", () => db.project.findUnique({ where: { id }, select: { id: true, name: true } })],
      ["pg pool.query select by id", () => pool.query(`select id, name from "Project" where id = $1::uuid`, [id])],
      ["prisma tx(3 raw)", () => db.$transaction(async (tx) => { await tx.$queryRaw`select 1`; await tx.$queryRaw`select 2`; await tx.$queryRaw`select 3`; })],
      ["pg tx(3)", async () => { const c = await pool.connect(); try { await c.query("begin"); await c.query("select 1"); await c.query("select 2"); await c.query("select 3"); await c.query("commit"); } finally { c.release(); } }],
    ];
    for (let round = 0; round < 2; round++)
      for (const [name, f] of cases) {
        for (let i = 0; i < 200; i++) await f();
        const c0 = process.cpuUsage(); const t0 = performance.now();
        for (let i = 0; i < N; i++) await f();
        const c = process.cpuUsage(c0); const wall = performance.now() - t0;
        console.log(`${name}: ${((c.user + c.system) / 1000 / N).toFixed(3)} ms CPU, ${(wall / N).toFixed(3)} ms wall per call`);
      }
    await db.$disconnect(); await pool.end();
  } finally { await pg.stop(); fs.rmSync(base, { recursive: true, force: true }); }
}
void main().catch((e) => { console.error(e); process.exit(1); });

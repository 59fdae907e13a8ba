// EXPLAIN ANALYZE of the request lists' search by part of a machine name at bench size, with and
// without the trigram index of the request_names_trgm migration (Request.namesText, pg_trgm GIN),
// in one run on one seeded database. The SQL is what Prisma sends for requestSearch()
// (lib/requests/request-list-order.ts), written out.
//   node_modules/.bin/tsx bench/explain-search.ts [--hosts 10000 --machines 100000 --projects 1000]
// Prints markdown (the table is in BENCHMARKS.md, "Request search by machine name").
import os from "node:os";
import pg from "pg";
import { BENCH_ADMIN } from "./seed";
import { benchSize, withSeededDatabase } from "./explain-db";

// requestSearch(q) as Prisma sends it: the users, projects and offerings that match are looked
// up first (small tables) and become id lists; the request query ORs those ids with the names.
async function search(c: pg.Client, pattern: string, requester: boolean): Promise<{ sql: string; params: unknown[] }> {
  const ids = async (q: string) => (await c.query(q, [pattern])).rows.map((r) => r.id as string);
  const users = requester ? await ids(`select id from "User" where name ilike $1 or email ilike $1`) : [];
  const projects = await ids(`select id from "Project" where name ilike $1`);
  const offerings = await ids(`select id from "Offering" where name ilike $1`);
  const params: unknown[] = [pattern];
  const or = [`r."namesText" ilike $1`];
  for (const [col, list] of [["requesterId", users], ["projectId", projects], ["offeringId", offerings]] as const) {
    if (!list.length) continue;
    params.push(list);
    or.unshift(`r."${col}" = any($${params.length}::uuid[])`);
  }
  return { sql: `(${or.join(" or ")})`, params };
}

async function main() {
  const size = benchSize();
  await withSeededDatabase(size, async (c) => {
    const admin = (await c.query(`select id from "User" where email = $1`, [BENCH_ADMIN])).rows[0].id;
    // Part of one machine's name (vm-0012345 -> "m-001234": ten machines, two requests), and a
    // text that matches 11 projects' names and no machine name.
    const machinePart = "%m-001234%";
    const projectPart = "%ject 0012%";
    const counts = (await c.query(`select count(*)::int n, (select count(*)::int from "Request") total from "Request" where "namesText" ilike $1`, [machinePart])).rows[0];
    const queries: [string, string, unknown[]][] = [["names only: requests whose machine names contain the text", `select id from "Request" r where r."namesText" ilike $1`, [machinePart]]];
    for (const [label, pattern] of [["machine-name part", machinePart], ["project-name part", projectPart]] as const) {
      const all = await search(c, pattern, true);
      queries.push([`approvals queue (administrator), ${label}, page 1`, `select r.id from "Request" r where r.status = 'PENDING_APPROVAL' and ${all.sql} order by r."createdAt", r.id limit 21`, all.params]);
      queries.push([`all requests (administrator), ${label}, page 1`, `select r.id from "Request" r where ${all.sql} order by r."createdAt" desc, r.id desc limit 21`, all.params]);
      const mine = await search(c, pattern, false);
      queries.push([
        `My requests (the administrator's own), ${label}, page 1`,
        `select r.id from "Request" r where r."requesterId" = $${mine.params.length + 1} and ${mine.sql} order by r."createdAt" desc, r.id desc limit 21`,
        [...mine.params, admin],
      ]);
    }
    const explain = async () => {
      const out: { name: string; ms: number; index: boolean; plan: string }[] = [];
      for (const [name, q, params] of queries) {
        await c.query(`explain (analyze, buffers) ${q}`, params); // warm the cache
        const r = await c.query(`explain (analyze, buffers) ${q}`, params);
        const lines = r.rows.map((x) => x["QUERY PLAN"] as string);
        const plan = lines.join("\n");
        const ms = Number(/Execution Time: ([\d.]+)/.exec(plan)?.[1] ?? NaN);
        out.push({ name, ms, index: plan.includes("Request_namesText_idx"), plan });
      }
      return out;
    };
    const after = await explain();
    await c.query(`drop index "Request_namesText_idx"`);
    const before = await explain();
    const pgVersion = (await c.query("show server_version")).rows[0].server_version;
    console.log(`EXPLAIN (ANALYZE, BUFFERS) at ${size.hosts} hosts, ${size.machines} machines, ${size.projects} projects (${counts.total} requests; \`${machinePart}\` matches ${counts.n} of them by machine name, \`${projectPart}\` the requests of 11 projects); PostgreSQL ${pgVersion}; load average ${os.loadavg().map((x) => x.toFixed(1)).join(", ")}.\n`);
    console.log("| query | without the index (ms) | with the trigram index (ms) | index used |");
    console.log("|---|---|---|---|");
    for (const [i, a] of after.entries()) console.log(`| ${a.name} | ${before[i].ms} | ${a.ms} | ${a.index ? "yes" : "no"} |`);
    console.log("\n## Plans with the index\n");
    for (const a of after) console.log(`### ${a.name}\n\n\`\`\`\n${a.plan}\n\`\`\`\n`);
    console.log("## Plans without the index\n");
    for (const b of before) console.log(`### ${b.name}\n\n\`\`\`\n${b.plan}\n\`\`\`\n`);
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

// EXPLAIN ANALYZE of the list queries at bench size, before and after the indexes of the
// scale migration, in one run on one seeded database (the "before" drops those indexes, the
// "after" recreates them from the migration's own SQL).
//   node_modules/.bin/tsx bench/explain.ts [--hosts 10000 --machines 100000 --projects 1000]
// Prints markdown (pasted into BENCHMARKS.md).
import fs from "node:fs";
import path from "node:path";
import { listMigrations, migrationsDir } from "../lib/db/migrate";
import { benchSize, withSeededDatabase } from "./explain-db";

const COLS = `m.id, m.name, m.state, m."projectId", m."ipAddress", m."leaseEndsAt", m."updatedAt", m."createdAt"`;

async function main() {
  const size = benchSize();
  await withSeededDatabase(size, async (c) => {
    const mig = listMigrations().find((m) => m.name.endsWith("_scale_list_indexes"));
    if (!mig) throw new Error("scale_list_indexes migration not found");
    const sql = fs.readFileSync(path.join(migrationsDir(), mig.name, "migration.sql"), "utf8");
    const names = [...sql.matchAll(/CREATE INDEX "([^"]+)"/g)].map((m) => m[1]);
    const project = (await c.query(`select "projectId" id from "ProjectMember" pm join "User" u on u.id = pm."userId" where u.email = 'bench-member@example.com'`)).rows[0].id;
    const mid = (await c.query(`select "createdAt", id from "Machine" where state <> 'DELETED' order by "createdAt" desc, id offset 40000 limit 1`)).rows[0];
    const deepOffset = Math.floor(size.machines * 0.4);
    const queries: [string, string, unknown[]][] = [
      ["machines, admin, page 1 (OFFSET 0)", `select ${COLS} from "Machine" m where m.state <> 'DELETED' order by m."createdAt" desc, m.id limit 20 offset 0`, []],
      [`machines, admin, deep page (OFFSET ${deepOffset})`, `select ${COLS} from "Machine" m where m.state <> 'DELETED' order by m."createdAt" desc, m.id limit 20 offset ${deepOffset}`, []],
      [
        "machines, admin, deep page by keyset (cursor)",
        `select ${COLS} from "Machine" m where m.state <> 'DELETED' and m."createdAt" <= $1 and (m."createdAt" < $1 or (m."createdAt" = $1 and m.id > $2)) order by m."createdAt" desc, m.id limit 21`,
        [mid?.createdAt ?? new Date(), mid?.id ?? "00000000-0000-0000-0000-000000000000"],
      ],
      ["machines, member of one project, page 1", `select ${COLS} from "Machine" m where m."projectId" in ($1) and m.state <> 'DELETED' order by m."createdAt" desc, m.id limit 20`, [project]],
      ["machines, exact count (admin)", `select count(*) from "Machine" m where m.state <> 'DELETED'`, []],
      ["machines, capped count (10,001)", `select count(*) from (select 1 from "Machine" m where m.state <> 'DELETED' limit 10001) s`, []],
      ["requests, admin, page 1", `select * from "Request" r order by r."createdAt" desc, r.number desc limit 20`, []],
      ["requests, one project, page 1", `select * from "Request" r where r."projectId" = $1 order by r."createdAt" desc, r.number desc limit 20`, [project]],
      ["machines of a request (provisioning)", `select id from "Machine" where "requestId" = (select id from "Request" where status = 'FULFILLED' limit 1)`, []],
      ["queued operations, oldest first", `select id from "Operation" where status = 'QUEUED' order by "createdAt" limit 20`, []],
    ];
    const explain = async () => {
      const out: { name: string; ms: number; plan: string }[] = [];
      for (const [name, q, params] of queries) {
        await c.query(`explain (analyze, buffers) ${q}`, params); // warm the cache
        const r = await c.query(`explain (analyze, buffers) ${q}`, params);
        const lines = r.rows.map((x) => x["QUERY PLAN"] as string);
        const ms = Number(/Execution Time: ([\d.]+)/.exec(lines.join("\n"))?.[1] ?? NaN);
        out.push({ name, ms, plan: lines.join("\n") });
      }
      return out;
    };
    for (const n of names) await c.query(`drop index if exists "${n}"`);
    await c.query("analyze");
    const before = await explain();
    await c.query(sql);
    await c.query("analyze");
    const after = await explain();
    const md = [
      `EXPLAIN (ANALYZE, BUFFERS) at ${size.hosts} hosts, ${size.machines} machines, ${size.projects} projects; PostgreSQL ${(await c.query("show server_version")).rows[0].server_version}.`,
      "",
      "| query | before (ms) | after (ms) |",
      "|---|---|---|",
      ...before.map((b, i) => `| ${b.name} | ${b.ms} | ${after[i].ms} |`),
      "",
      ...before.flatMap((b, i) => [`#### ${b.name}`, "", "Before:", "```", b.plan, "```", "After:", "```", after[i].plan, "```", ""]),
    ].join("\n");
    console.log(md);
  }, { analyze: false });
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);

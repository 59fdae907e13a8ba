// EXPLAIN ANALYZE of what the pages /admin/hosts and /dashboard ask the database at bench
// size (the SQL Prisma sends for lib/capacity/list-hosts.ts and lib/dashboard/get-dashboard.ts,
// written out), with the whole-estate forms the issue saw for comparison.
//   node_modules/.bin/tsx bench/explain-pages.ts [--hosts 10000 --machines 100000 --projects 1000]
// Prints markdown (the table is in BENCHMARKS.md, "Pages with a session").
import { myRequestsPageSql } from "../lib/requests/my-requests-page";
import { BENCH_ADMIN, BENCH_MEMBER } from "./seed";
import { benchSize, withSeededDatabase } from "./explain-db";

async function main() {
  const size = benchSize();
  await withSeededDatabase(size, async (c) => {
    const pageHosts = (await c.query(`select h.id from "Host" h join "Provider" p on p.id = h."providerId" order by p.name, h.name, h.id limit 50`)).rows.map((r) => r.id);
    const admin = (await c.query(`select id from "User" where email = $1`, [BENCH_ADMIN])).rows[0].id;
    const member = (await c.query(`select id from "User" where email = $1`, [BENCH_MEMBER])).rows[0].id;
    const memberProjects = (await c.query(`select "projectId" from "ProjectMember" where "userId" = $1`, [member])).rows.map((r) => r.projectId);
    const queries: [string, string, unknown[]][] = [
      ["hosts: count", `select count(*) from "Host"`, []],
      ["hosts: page of 50 by provider, name", `select h.*, p.id, p.name, p.kind from "Host" h join "Provider" p on p.id = h."providerId" order by p.name, h.name, h.id limit 50`, []],
      [
        "hosts: page of 50 by provider, name, read per provider (pages4: list-hosts.ts hostsByProvider)",
        `select h.id from "Provider" p cross join lateral (select h.id, h.name from "Host" h where h."providerId" = p.id order by h.name, h.id limit 50) h order by p.name, h.name, h.id limit 50 offset 0`,
        [],
      ],
      [
        "hosts: page 100 by provider, name, read per provider",
        `select h.id from "Provider" p cross join lateral (select h.id, h.name from "Host" h where h."providerId" = p.id order by h.name, h.id limit 5000) h order by p.name, h.name, h.id limit 50 offset 4950`,
        [],
      ],
      ["hosts: machines of the 50 hosts of the page", `select "hostId", count(*) from "Machine" where "hostId" = any($1) and state <> 'DELETED' group by "hostId"`, [pageHosts]],
      ["hosts: machines of every host (the whole estate, for comparison)", `select "hostId", count(*) from "Machine" where state <> 'DELETED' group by "hostId"`, []],
      ["dashboard, admin: projects", `select * from "Project" order by archived, name`, []],
      ["dashboard, admin: machines by project and state", `select "projectId", state, count(*) from "Machine" where state <> 'DELETED' group by "projectId", state`, []],
      [
        "dashboard, admin: current cost rates, every live meter read one by one (before)",
        `select c."providerId", c.powered, c.vcpu, c."memoryMb", c."diskGb", c."diskTier", m."projectId" from "CostMeter" c join "Machine" m on m.id = c."machineId" where c.live`,
        [],
      ],
      [
        "costs report, admin: current cost rates per project, meters counted by price key (spend.ts currentRates)",
        `select m."projectId", c."providerId", c.powered, c.vcpu, c."memoryMb", c."diskGb", c."diskTier", count(*)::int as n from "CostMeter" c join "Machine" m on m.id = c."machineId" where c.live and c."providerId" is not null group by 1, 2, 3, 4, 5, 6, 7`,
        [],
      ],
      [
        "dashboard, admin: current cost rate of all projects together (month-spend.ts, spend.ts currentTotalRate)",
        `select null as "projectId", "providerId", powered, vcpu, "memoryMb", "diskGb", "diskTier", count(*)::int as n from "CostMeter" where live and "providerId" is not null group by 2, 3, 4, 5, 6, 7`,
        [],
      ],
      ["dashboard, member: machines by project and state", `select "projectId", state, count(*) from "Machine" where "projectId" = any($1) and state <> 'DELETED' group by "projectId", state`, [memberProjects]],
      ["my requests, admin: one-statement page (pages4: my-requests-page.ts)", myRequestsPageSql({ requesterId: admin, sort: "created", dir: "desc", after: null, page: 1 }).sql.text, myRequestsPageSql({ requesterId: admin, sort: "created", dir: "desc", after: null, page: 1 }).sql.values],
      ["my requests, admin: one-statement page sorted by project", myRequestsPageSql({ requesterId: admin, sort: "project", dir: "asc", after: null, page: 1 }).sql.text, myRequestsPageSql({ requesterId: admin, sort: "project", dir: "asc", after: null, page: 1 }).sql.values],
      ["dashboard: my recent requests", `select * from "Request" where "requesterId" = $1 order by "createdAt" desc, number desc limit 5`, [admin]],
      [
        "dashboard, admin: recent failed operations",
        `select o.* from "Operation" o join "Machine" m on m.id = o."machineId" where o.status = 'FAILED' order by o."createdAt" desc, o.id limit 5`,
        [],
      ],
    ];
    const rows: string[] = [];
    const plans: string[] = [];
    for (const [name, q, params] of queries) {
      await c.query(`explain (analyze, buffers) ${q}`, params); // warm the cache
      const r = await c.query(`explain (analyze, buffers) ${q}`, params);
      const lines = r.rows.map((x) => x["QUERY PLAN"] as string);
      const ms = Number(/Execution Time: ([\d.]+)/.exec(lines.join("\n"))?.[1] ?? NaN);
      const top = lines[0].replace(/\s+\(cost.*$/, "").trim();
      rows.push(`| ${name} | ${ms} | ${top} |`);
      plans.push(`#### ${name}`, "", "```", lines.join("\n"), "```", "");
    }
    console.log(
      [
        `EXPLAIN (ANALYZE, BUFFERS) at ${size.hosts} hosts, ${size.machines} machines, ${size.projects} projects; PostgreSQL ${(await c.query("show server_version")).rows[0].server_version}.`,
        "",
        "| query | execution (ms) | top node |",
        "|---|---|---|",
        ...rows,
        "",
        ...plans,
      ].join("\n"),
    );
  });
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);

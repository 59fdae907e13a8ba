// Bench data: fills a database with a datacentre's worth of realistic rows in a few set-based
// statements (INSERT ... SELECT generate_series), not row by row.
//   npm run bench:seed -- --hosts 10000 --machines 100000 --projects 1000 [--url postgres://...]
// Without --url/DATABASE_URL it seeds a throw-away embedded PostgreSQL (to time the seed;
// `npm run bench` seeds its own cluster and keeps it for the run).
import path from "node:path";
import pg from "pg";
import { migrate } from "../lib/db/migrate";
import { withDatabase } from "../scripts/with-db";

export interface SeedSize {
  hosts: number;
  machines: number;
  projects: number;
  providers?: number;
}

export const BENCH_ADMIN = "bench-admin@example.com";
/** Member of exactly one project (the first): the "member" scenarios run as this user. */
export const BENCH_MEMBER = "bench-member@example.com";

const STATES = `(array['RUNNING','RUNNING','RUNNING','RUNNING','RUNNING','RUNNING','RUNNING','RUNNING','RUNNING','RUNNING','RUNNING','RUNNING','RUNNING','RUNNING','RUNNING','RUNNING','STOPPED','STOPPED','DELETED','FAILED'])`;

/** Seeds an empty, migrated database. Returns the timings of each step in ms. */
export async function seed(url: string, size: SeedSize): Promise<Record<string, number>> {
  const providers = size.providers ?? Math.max(1, Math.min(10, size.hosts));
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const times: Record<string, number> = {};
  const step = async (name: string, sql: string, params: unknown[] = []) => {
    const t = performance.now();
    await c.query(sql, params);
    times[name] = Math.round(performance.now() - t);
  };
  try {
    await c.query("set synchronous_commit = off");
    await c.query("begin");
    await step(
      "users",
      `insert into "User"(id,email,name,"passwordHash",role,"updatedAt")
       select gen_random_uuid(), 'bench-admin@example.com', 'Bench Admin', 'x', 'ADMIN'::"UserRole", now()
       union all select gen_random_uuid(), 'bench-member@example.com', 'Bench Member', 'x', 'USER'::"UserRole", now()
       union all select gen_random_uuid(), 'user' || g || '@bench.example.com', 'User ' || g, 'x', 'USER'::"UserRole", now()
       from generate_series(1, $1::int) g`,
      [size.projects * 3],
    );
    await step(
      "providers",
      `insert into "Provider"(id,name,kind,status,"placementPolicy","updatedAt")
       select gen_random_uuid(), 'bench-dc-' || g, 'SIMULATOR'::"ProviderKind", 'ACTIVE'::"ProviderStatus",
              (case when g % 2 = 0 then 'PACK' else 'SPREAD' end)::"PlacementPolicy", now()
       from generate_series(1, $1::int) g`,
      [providers],
    );
    await c.query(`create temp table bp as select id, (row_number() over (order by name)) - 1 as rn from "Provider"`);
    await step(
      "hosts",
      `insert into "Host"(id,"providerId",name,state,"vcpuTotal","memoryMbTotal","diskSsdGbTotal","diskHddGbTotal","heartbeatAt","updatedAt")
       select gen_random_uuid(), bp.id, 'host-' || lpad(g::text, 6, '0'),
              (case when g % 200 = 0 then 'MAINTENANCE' else 'ACTIVE' end)::"HostState",
              64, 524288, 8000, 20000, now(), now()
       from generate_series(0, $1::int - 1) g join bp on bp.rn = g % $2::int`,
      [size.hosts, providers],
    );
    await c.query(`create temp table bh as select id, "providerId", (row_number() over (order by name)) - 1 as rn from "Host"`);
    await c.query(`create index on bh(rn)`);
    await step(
      "catalogue",
      `with o as (
         insert into "Offering"(id,name,vcpu,"memoryMb","diskGb","diskTier","monthlyPriceCents","updatedAt")
         select gen_random_uuid(), 'bench-' || s.n, s.v, s.m, s.d, s.t::"DiskTier", s.p, now()
         from (values ('small',1,2048,20,'SSD',1500),('medium',2,4096,40,'SSD',3000),('large',4,8192,80,'SSD',6000),
                      ('xlarge',8,16384,160,'SSD',12000),('archive',2,4096,500,'HDD',4000)) s(n,v,m,d,t,p)
         returning id),
       t as (
         insert into "Template"(id,name,"osFamily","osName","osVersion","updatedAt")
         select gen_random_uuid(), 'bench-' || s.n, s.f::"OsFamily", s.o, s.v, now()
         from (values ('debian12','LINUX','Debian','12'),('ubuntu24','LINUX','Ubuntu','24.04'),('win2022','WINDOWS','Windows Server','2022')) s(n,f,o,v)
         returning id)
       insert into "TemplateProviderRef"("templateId","providerId",ref) select t.id, bp.id, 'img-' || t.id from t cross join bp`,
    );
    await c.query(`create temp table bo as select id, vcpu, "memoryMb", "diskGb", "diskTier", "monthlyPriceCents", (row_number() over (order by name)) - 1 as rn from "Offering"`);
    await c.query(`create temp table bt as select id, (row_number() over (order by name)) - 1 as rn from "Template"`);
    await step(
      "projects",
      `insert into "Project"(id,name,slug,"quotaVcpu","quotaMemoryMb","quotaDiskSsdGb","quotaDiskHddGb","quotaMachines","updatedAt")
       select gen_random_uuid(), 'Project ' || lpad(g::text, 5, '0'), 'project-' || lpad(g::text, 5, '0'),
              100000, 200000000, 10000000, 10000000, 100000, now()
       from generate_series(1, $1::int) g`,
      [size.projects],
    );
    await c.query(`create temp table bpr as select id, (row_number() over (order by name)) - 1 as rn from "Project"`);
    await c.query(`create temp table bu as select id, (row_number() over (order by email)) - 1 as rn from "User" where email like 'user%@bench.example.com'`);
    await step(
      "members",
      `insert into "ProjectMember"("projectId","userId",role)
       select bpr.id, bu.id, (case when bu.rn % 3 = 0 then 'APPROVER' else 'MEMBER' end)::"ProjectRole"
       from bu join bpr on bpr.rn = bu.rn % $1::int
       union all
       select bpr.id, u.id, 'MEMBER'::"ProjectRole" from bpr, "User" u where bpr.rn = 0 and u.email = 'bench-member@example.com'`,
      [size.projects],
    );
    // One request per 5 machines (fulfilled), plus a few pending per project.
    await step(
      "requests",
      `insert into "Request"(id,"projectId","requesterId","offeringId","templateId",quantity,names,status,"monthlyCostCents","decidedAt","createdAt","updatedAt")
       select gen_random_uuid(), bpr.id, bu.id, bo.id, bt.id, 5, '{}',
              (case when g >= $1::int then 'PENDING_APPROVAL' else 'FULFILLED' end)::"RequestStatus",
              5 * bo."monthlyPriceCents", now(), now() - make_interval(secs => g * 5), now()
       from generate_series(0, $1::int + $2::int - 1) g
       join bpr on bpr.rn = g % $3::int
       join bu on bu.rn = g % $4::int
       join bo on bo.rn = g % 5
       join bt on bt.rn = g % 3`,
      [Math.ceil(size.machines / 5), size.projects * 2, size.projects, Math.max(1, size.projects * 3)],
    );
    // The admin and the member have requests of their own too (the requests list shows the
    // caller's): every 10th request, and every request of the member's project.
    await c.query(`update "Request" set "requesterId" = (select id from "User" where email = 'bench-admin@example.com') where number % 10 = 0`);
    await c.query(
      `update "Request" set "requesterId" = (select id from "User" where email = 'bench-member@example.com') where "projectId" = (select id from bpr where rn = 0)`,
    );
    await c.query(`create temp table br as select id, "projectId", "requesterId", "offeringId", "templateId", (row_number() over (order by number)) - 1 as rn from "Request" where status = 'FULFILLED'`);
    await c.query(`create index on br(rn)`);
    await step(
      "machines",
      `insert into "Machine"(id,"projectId","requestId","ownerId","offeringId","templateId",name,vcpu,"memoryMb","diskGb","diskTier","monthlyCents",
                             state,"providerId","hostId","externalRef","ipAddress","createdAt","updatedAt","deletedAt","releasedAt")
       select gen_random_uuid(), br."projectId", br.id, br."requesterId", bo.id, br."templateId", 'vm-' || lpad(g::text, 7, '0'),
              bo.vcpu, bo."memoryMb", bo."diskGb", bo."diskTier", bo."monthlyPriceCents", st.s::"MachineState",
              bh."providerId", bh.id, 'sim-' || g, '10.' || (g / 65536) % 256 || '.' || (g / 256) % 256 || '.' || g % 256,
              now() - make_interval(secs => g), now(),
              (case when st.s = 'DELETED' then now() end), (case when st.s in ('DELETED','FAILED') then now() end)
       from generate_series(0, $1::int - 1) g
       join br on br.rn = g / 5
       join bo on bo.id = br."offeringId"
       join bh on bh.rn = (g * 7919) % $2::int
       cross join lateral (select ${STATES}[1 + (g % 20)] as s) st`,
      [size.machines, size.hosts],
    );
    // The requests' machine names (the request lists search them; the trigger fills namesText).
    await step(
      "request names",
      `update "Request" r set names = n.names
       from (select "requestId" id, array_agg(name order by name) names from "Machine" group by "requestId") n where r.id = n.id;
       update "Request" set names = array(select 'pending-' || number || '-' || i from generate_series(1, 5) i) where status = 'PENDING_APPROVAL'`,
    );
    await step(
      "operations",
      `insert into "Operation"(id,"machineId",kind,status,"requestedById",attempts,progress,"createdAt","startedAt","finishedAt")
       select gen_random_uuid(), m.id, 'PROVISION'::"OperationKind", (case when m.state = 'FAILED' then 'FAILED' else 'SUCCEEDED' end)::"OperationStatus",
              m."ownerId", 1, 100, m."createdAt", m."createdAt", m."createdAt" + interval '40 seconds'
       from "Machine" m
       union all
       select gen_random_uuid(), m.id, (case when m.state = 'DELETED' then 'DELETE' else 'STOP' end)::"OperationKind", 'SUCCEEDED'::"OperationStatus",
              m."ownerId", 1, 100, m."createdAt" + interval '1 hour', m."createdAt" + interval '1 hour', m."createdAt" + interval '1 hour 1 minute'
       from "Machine" m where m.state in ('STOPPED','DELETED')`,
    );
    // What the cost pages and the dashboard read: a meter per machine on its provider (live while
    // not released, powered while running) and the SIMULATOR kind's price list, as the engine
    // and an administrator leave them on a real portal.
    await step(
      "cost meters",
      `insert into "CostMeter"("machineId","accruedUntil",live,powered,"providerId","offeringId",vcpu,"memoryMb","diskGb","diskTier","updatedAt")
       select id, now(), "releasedAt" is null, state = 'RUNNING', "providerId", "offeringId", vcpu, "memoryMb", "diskGb", "diskTier", now()
       from "Machine" where "providerId" is not null`,
    );
    await step(
      "price list",
      `with b as (insert into "PriceBook"(id,"providerKind","updatedAt") values (gen_random_uuid(), 'SIMULATOR', now()) returning id),
            v as (insert into "PriceVersion"(id,"priceBookId","effectiveFrom",source) select gen_random_uuid(), b.id, now() - interval '90 days', 'seed' from b returning id)
       insert into "PriceItem"(id,"versionId",kind,unit,millicents)
       select gen_random_uuid(), v.id, k.kind::"PriceItemKind", 'MONTH'::"PriceUnit", k.mc
       from v cross join (values ('VCPU', 1200000), ('MEMORY_GIB', 400000), ('SSD_GB', 12000), ('HDD_GB', 4000)) k(kind, mc)`,
    );
    await step(
      "audit",
      `insert into "AuditEvent"(at,"actorId",action,"targetType","targetId","projectId",after)
       select m."createdAt", m."ownerId", 'machine.provisioned', 'Machine', m.id::text, m."projectId", jsonb_build_object('name', m.name)
       from "Machine" m
       union all
       select r."createdAt", r."requesterId", 'request.submitted', 'Request', r.id::text, r."projectId", jsonb_build_object('quantity', r.quantity)
       from "Request" r`,
    );
    await step(
      "usage",
      `with h as (select "hostId" id, sum(vcpu) v, sum("memoryMb") m, sum(case when "diskTier"='SSD' then "diskGb" else 0 end) s,
                         sum(case when "diskTier"='HDD' then "diskGb" else 0 end) d
                  from "Machine" where "releasedAt" is null group by "hostId")
       update "Host" set "vcpuUsed" = h.v, "memoryMbUsed" = h.m, "diskSsdGbUsed" = h.s, "diskHddGbUsed" = h.d from h where "Host".id = h.id;
       with p as (select "projectId" id, count(*) n, sum(vcpu) v, sum("memoryMb") m, sum(case when "diskTier"='SSD' then "diskGb" else 0 end) s,
                         sum(case when "diskTier"='HDD' then "diskGb" else 0 end) d, sum("monthlyCents") c
                  from "Machine" where "releasedAt" is null group by "projectId")
       update "Project" set "usedMachines" = p.n, "usedVcpu" = p.v, "usedMemoryMb" = p.m, "usedDiskSsdGb" = p.s, "usedDiskHddGb" = p.d,
              "usedMonthlyCents" = p.c from p where "Project".id = p.id`,
    );
    await c.query("commit");
    const t = performance.now();
    await c.query("vacuum analyze");
    times.analyze = Math.round(performance.now() - t);
  } catch (e) {
    await c.query("rollback").catch(() => {});
    throw e;
  } finally {
    await c.end();
  }
  return times;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main() {
  const size = { hosts: arg("hosts", 10_000), machines: arg("machines", 100_000), projects: arg("projects", 1_000) };
  const i = process.argv.indexOf("--url");
  const url = i >= 0 ? process.argv[i + 1] : process.env.DATABASE_URL;
  const run = async (u: string) => {
    await migrate(u);
    const t = performance.now();
    const times = await seed(u, size);
    console.log(JSON.stringify({ size, ms: Math.round(performance.now() - t), steps: times }));
  };
  // Without a URL: a throw-away embedded cluster (measures the seed; `npm run bench` seeds its own).
  if (url) await run(url);
  else await withDatabase(run);
}

if (process.argv[1]?.endsWith(path.join("bench", "seed.ts"))) {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}

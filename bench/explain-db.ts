// What the EXPLAIN scripts (bench/explain*.ts) share: their size options and a throw-away
// embedded PostgreSQL, migrated and seeded at bench size, given to the script's body as a
// connected client, and stopped and removed whatever the body does.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";
import { seed } from "./seed";

/** `--name N` from the command line, else `fallback`. */
export const num = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

export interface BenchSize {
  hosts: number;
  machines: number;
  projects: number;
}

/** `--hosts`, `--machines`, `--projects` (default: the 10,000 / 100,000 / 1,000). */
export const benchSize = (): BenchSize => ({ hosts: num("hosts", 10_000), machines: num("machines", 100_000), projects: num("projects", 1_000) });

/** Runs `body` against a fresh seeded database of `size`; `analyze` first unless told not to. */
export async function withSeededDatabase(size: BenchSize, body: (c: pg.Client, url: string) => Promise<void>, opts: { analyze?: boolean } = {}): Promise<void> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "orq-explain-"));
  fs.chmodSync(base, 0o755);
  const pgdb = await startEmbeddedPostgres({ dataDir: path.join(base, "data"), persistent: false, database: "bench" });
  const c = new pg.Client({ connectionString: pgdb.url });
  try {
    await migrate(pgdb.url);
    await seed(pgdb.url, size);
    await c.connect();
    if (opts.analyze !== false) await c.query("analyze");
    await body(c, pgdb.url);
  } finally {
    await c.end().catch(() => {});
    await pgdb.stop();
    fs.rmSync(base, { recursive: true, force: true });
  }
}

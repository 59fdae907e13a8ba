// Applies prisma/migrations/*/migration.sql in order under an advisory lock and records each
// in _prisma_migrations exactly as `prisma migrate deploy` does (same table, same checksum),
// so Prisma's own tooling stays truthful. Written by hand because Prisma 6's migrate deploy
// needs a schema engine path that does not work offline (see README "Database").
// Also installs graphile-worker's schema, so jobs can be enqueued from the first request.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { runMigrations as runWorkerMigrations } from "graphile-worker";

const LOCK_KEY = 7_312_026_1125; // arbitrary, constant: one migrator at a time per database

export interface MigrationResult {
  applied: string[];
  skipped: string[];
}

export function migrationsDir(): string {
  return path.resolve(process.cwd(), "prisma", "migrations");
}

export function listMigrations(dir = migrationsDir()): { name: string; sql: string; checksum: string }[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: crypto.createHash("sha256").update(sql).digest("hex") };
    });
}

export async function migrate(connectionString: string, opts: { dir?: string; log?: (m: string) => void } = {}): Promise<MigrationResult> {
  const log = opts.log ?? (() => {});
  const client = new pg.Client({ connectionString });
  await client.connect();
  const result: MigrationResult = { applied: [], skipped: [] };
  try {
    await client.query("select pg_advisory_lock($1)", [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const done = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `select migration_name, checksum, finished_at from "_prisma_migrations" where rolled_back_at is null`,
    );
    const byName = new Map(done.rows.map((r) => [r.migration_name, r]));
    for (const m of listMigrations(opts.dir)) {
      const prev = byName.get(m.name);
      if (prev?.finished_at) {
        if (prev.checksum !== m.checksum) {
          log(`warning: migration ${m.name} was edited after it was applied (checksum differs)`);
        }
        result.skipped.push(m.name);
        continue;
      }
      if (prev && !prev.finished_at) {
        throw new Error(
          `migration ${m.name} failed earlier and is not marked rolled back; fix the database and mark it (prisma migrate resolve)`,
        );
      }
      const id = crypto.randomUUID();
      await client.query("begin");
      try {
        await client.query(
          `insert into "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) values ($1,$2,$3, now(), 0)`,
          [id, m.checksum, m.name],
        );
        await client.query(m.sql);
        await client.query(
          `update "_prisma_migrations" set finished_at = now(), applied_steps_count = 1 where id = $1`,
          [id],
        );
        await client.query("commit");
        log(`applied migration ${m.name}`);
        result.applied.push(m.name);
      } catch (err) {
        await client.query("rollback");
        throw new Error(`migration ${m.name} failed: ${(err as Error).message}`);
      }
    }
    await runWorkerMigrations({ connectionString, logger: undefined });
  } finally {
    await client.query("select pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => {});
    await client.end();
  }
  return result;
}

// Fails when prisma/schema.prisma and prisma/migrations disagree: the database the migrations
// build must equal, table by table, the one Prisma would build from the schema.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./db";
import { listMigrations, migrate, migrationsDir } from "../lib/db/migrate";

async function describeSchema(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const q = async (sql: string) => (await c.query(sql)).rows.map((r) => JSON.stringify(r)).sort();
    return {
      columns: await q(`select table_name, column_name, data_type, udt_name, is_nullable, column_default
                          from information_schema.columns where table_schema='public' and table_name <> '_prisma_migrations'`),
      indexes: await q(`select tablename, indexname, indexdef from pg_indexes where schemaname='public' and tablename <> '_prisma_migrations'`),
      constraints: await q(`select conrelid::regclass::text as tbl, conname, contype, pg_get_constraintdef(oid) as def
                              from pg_constraint where connamespace='public'::regnamespace and conrelid::regclass::text not in ('_prisma_migrations', '"_prisma_migrations"')`),
      enums: await q(`select t.typname, e.enumlabel, e.enumsortorder from pg_type t join pg_enum e on e.enumtypid=t.oid
                        join pg_namespace n on n.oid=t.typnamespace where n.nspname='public'`),
    };
  } finally {
    await c.end();
  }
}

describe("schema and migrations", () => {
  let fromMigrations: TestDatabase;
  let fromSchema: TestDatabase;

  beforeAll(async () => {
    fromMigrations = await createTestDatabase();
    fromSchema = await createTestDatabase();
    // Empty the second clone, then build it from schema.prisma alone.
    const c = new pg.Client({ connectionString: fromSchema.url });
    await c.connect();
    await c.query("drop schema public cascade; drop schema if exists graphile_worker cascade; create schema public;");
    const r = spawnSync(
      process.execPath,
      ["scripts/prisma.mjs", "migrate", "diff", "--from-empty", "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
      { env: { ...process.env, DATABASE_URL: fromSchema.url }, encoding: "utf8" },
    );
    expect(r.status, r.stderr).toBe(0);
    await c.query(r.stdout);
    await c.end();
  });

  afterAll(async () => {
    await fromMigrations?.drop();
    await fromSchema?.drop();
  });

  it("builds the same tables, columns, indexes, constraints and enums", async () => {
    const a = await describeSchema(fromMigrations.url);
    const b = await describeSchema(fromSchema.url);
    expect(a.enums).toEqual(b.enums);
    expect(a.columns).toEqual(b.columns);
    expect(a.indexes).toEqual(b.indexes);
    expect(a.constraints).toEqual(b.constraints);
  });

  it("keeps the schema each migration was made from, the latest equal to schema.prisma", () => {
    const all = listMigrations();
    expect(all.length).toBeGreaterThan(0);
    for (const m of all) expect(fs.existsSync(path.join(migrationsDir(), m.name, "schema.prisma")), m.name).toBe(true);
    const latest = fs.readFileSync(path.join(migrationsDir(), all.at(-1)!.name, "schema.prisma"), "utf8");
    expect(latest).toBe(fs.readFileSync("prisma/schema.prisma", "utf8"));
  });

  it("re-running the migrator applies nothing and records each migration like Prisma", async () => {
    const again = await migrate(fromMigrations.url);
    expect(again.applied).toEqual([]);
    const c = new pg.Client({ connectionString: fromMigrations.url });
    await c.connect();
    const rows = (await c.query(`select migration_name, checksum, finished_at, applied_steps_count from "_prisma_migrations" order by migration_name`)).rows;
    await c.end();
    expect(rows.map((r) => r.migration_name)).toEqual(listMigrations().map((m) => m.name));
    for (const [i, m] of listMigrations().entries()) {
      expect(rows[i].checksum).toBe(m.checksum);
      expect(rows[i].finished_at).not.toBeNull();
      expect(rows[i].applied_steps_count).toBe(1);
    }
  });

  it("concurrent migrators serialise on the advisory lock", async () => {
    const fresh = await createTestDatabase();
    const c = new pg.Client({ connectionString: fresh.url });
    await c.connect();
    await c.query(`drop schema public cascade; drop schema if exists graphile_worker cascade; create schema public;`);
    await c.end();
    const results = await Promise.all([migrate(fresh.url), migrate(fresh.url), migrate(fresh.url)]);
    expect(results.reduce((n, r) => n + r.applied.length, 0)).toBe(listMigrations().length);
    await fresh.drop();
  });

  it("the audit log refuses updates and deletes", async () => {
    const db = fromMigrations.db;
    const ev = await db.auditEvent.create({ data: { action: "test.append", targetType: "Test" } });
    await expect(db.auditEvent.update({ where: { id: ev.id }, data: { action: "tampered" } })).rejects.toThrow(/append-only/);
    await expect(db.auditEvent.delete({ where: { id: ev.id } })).rejects.toThrow(/append-only/);
  });
});

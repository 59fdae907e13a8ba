// `npm run db:migration -- <name>`: authors prisma/migrations/<timestamp>_<name>/migration.sql
// with `prisma migrate diff` from the schema the previous migration was made from (kept
// beside it as schema.prisma) to prisma/schema.prisma. `prisma migrate dev` does not work
// offline with the WebAssembly engine (README "Database"); this does.
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { withDatabase } from "./with-db";
import { listMigrations, migrationsDir } from "../lib/db/migrate";

const name = (process.argv[2] ?? "").toLowerCase().replace(/[^a-z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
if (!name) {
  console.error("usage: npm run db:migration -- <name>");
  process.exit(2);
}

const dir = migrationsDir();
const previous = listMigrations().at(-1);
const fromSchema = previous ? path.join(dir, previous.name, "schema.prisma") : null;
if (previous && !fs.existsSync(fromSchema!)) {
  console.error(`missing ${fromSchema}: every migration keeps the schema it was made from`);
  process.exit(1);
}

const sql = await withDatabase(async (url) => {
  const args = [
    "scripts/prisma.mjs",
    "migrate",
    "diff",
    ...(fromSchema ? ["--from-schema-datamodel", fromSchema] : ["--from-empty"]),
    "--to-schema-datamodel",
    "prisma/schema.prisma",
    "--script",
  ];
  const r = spawnSync(process.execPath, args, { env: { ...process.env, DATABASE_URL: url }, encoding: "utf8" });
  if (r.status !== 0) {
    console.error(r.stderr);
    process.exit(r.status ?? 1);
  }
  return r.stdout;
});

if (!sql.trim() || /^-- This is an empty migration\.?\s*$/.test(sql.trim())) {
  console.log("schema.prisma matches the migrations: nothing to do");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/[-:TZ.]/g, "").slice(0, 14);
const target = path.join(dir, `${stamp}_${name}`);
fs.mkdirSync(target, { recursive: true });
fs.writeFileSync(path.join(target, "migration.sql"), sql);
fs.copyFileSync("prisma/schema.prisma", path.join(target, "schema.prisma"));
console.log(`wrote ${path.relative(process.cwd(), target)}/migration.sql; review it, then commit`);

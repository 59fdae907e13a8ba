#!/usr/bin/env node
// Runs the Prisma CLI without letting it try to download native engines (our machines reach
// only the npm registry). Prisma 6.19 accepts any existing file as the "query engine library"
// when the client is generated with engineType = "client" (WebAssembly query compiler).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const placeholder = path.join(root, "package.json");
const env = {
  ...process.env,
  PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? placeholder,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? placeholder,
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
  DATABASE_URL: process.env.DATABASE_URL ?? "postgresql://localhost:5432/none",
};
const bin = path.join(root, "node_modules", "prisma", "build", "index.js");
const r = spawnSync(process.execPath, [bin, ...process.argv.slice(2)], { stdio: "inherit", env, cwd: root });
process.exit(r.status ?? 1);

// One embedded PostgreSQL cluster for the whole integration run. Migrations are applied
// once to a template database; each test file clones it (CREATE DATABASE ... TEMPLATE),
// which takes milliseconds and isolates files from each other.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";

export default async function setup(project: TestProject) {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "orq-test-pg-"));
  fs.chmodSync(base, 0o755);
  const db = await startEmbeddedPostgres({ dataDir: path.join(base, "data"), database: "orq_template", persistent: false });
  await migrate(db.url);
  const adminUrl = db.url.replace(/\/orq_template$/, "/postgres");
  project.provide("pgAdminUrl", adminUrl);
  project.provide("pgTemplate", "orq_template");
  process.env.ORQ_TEST_PG_ADMIN_URL = adminUrl;
  return async () => {
    await db.stop();
    fs.rmSync(base, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}

// Helper for CLI scripts: yields a PostgreSQL URL: DATABASE_URL when set, otherwise a
// throw-away embedded cluster that is removed when the callback ends.
import os from "node:os";
import fs from "node:fs";
import path from "node:path";
import { startEmbeddedPostgres } from "../lib/db/embedded";

export async function withDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  if (process.env.DATABASE_URL) return fn(process.env.DATABASE_URL);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "orq-pg-"));
  fs.chmodSync(base, 0o755);
  const db = await startEmbeddedPostgres({ dataDir: path.join(base, "data"), persistent: false });
  try {
    return await fn(db.url);
  } finally {
    await db.stop();
    fs.rmSync(base, { recursive: true, force: true });
  }
}

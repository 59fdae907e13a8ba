// The embedded cluster's credentials: a random superuser password kept in a 0600 secrets
// file, a socket directory only the server's user can enter, and the old fixed password
// rotated away on start.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { secretsFileFor, startEmbeddedPostgres } from "./embedded";

const base = fs.mkdtempSync(path.join(os.tmpdir(), "orq-emb-"));
fs.chmodSync(base, 0o755);
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

async function canConnect(port: number, password: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres` });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

describe("embedded PostgreSQL", () => {
  it("generates a random password into a 0600 secrets file and hides its socket", async () => {
    const dataDir = path.join(base, "a", "postgres");
    const db = await startEmbeddedPostgres({ dataDir });
    try {
      const file = secretsFileFor(dataDir);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const secret = JSON.parse(fs.readFileSync(file, "utf8")).ORQ_PG_PASSWORD as string;
      expect(secret.length).toBeGreaterThanOrEqual(24);
      expect(secret).not.toBe("orquestra");
      expect(await canConnect(db.port, "orquestra")).toBe(false);
      expect(await canConnect(db.port, secret)).toBe(true);
      const sock = path.join(path.dirname(dataDir), "pg-socket");
      expect(fs.statSync(sock).mode & 0o777).toBe(0o700);
      expect(fs.readdirSync(sock)).toContain(`.s.PGSQL.${db.port}`);
    } finally {
      await db.stop();
    }
    // A restart reuses the stored password.
    const again = await startEmbeddedPostgres({ dataDir });
    try {
      const secret = JSON.parse(fs.readFileSync(secretsFileFor(dataDir), "utf8")).ORQ_PG_PASSWORD as string;
      expect(again.url).toContain(encodeURIComponent(secret));
      expect(await canConnect(again.port, secret)).toBe(true);
    } finally {
      await again.stop();
    }
  });

  it("moves a cluster made with the old fixed password to a random one", async () => {
    const dataDir = path.join(base, "b", "postgres");
    const legacy = await startEmbeddedPostgres({ dataDir, initialPassword: "orquestra" });
    await legacy.stop();
    expect(fs.existsSync(secretsFileFor(dataDir))).toBe(false);
    const db = await startEmbeddedPostgres({ dataDir });
    try {
      const secret = JSON.parse(fs.readFileSync(secretsFileFor(dataDir), "utf8")).ORQ_PG_PASSWORD as string;
      expect(await canConnect(db.port, "orquestra")).toBe(false);
      expect(await canConnect(db.port, secret)).toBe(true);
    } finally {
      await db.stop();
    }
  });
});

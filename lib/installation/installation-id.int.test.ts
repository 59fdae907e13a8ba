// The installation id the drivers write next to each machine id: the migration's one row,
// read once per database client.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "../db/client";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { installationId } from "./installation-id";

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});

afterAll(async () => {
  await t?.drop();
});

describe("installation id", () => {
  it("is the Installation row's id, read once per client", async () => {
    const row = await t.db.installation.findFirstOrThrow();
    expect(await installationId(t.db)).toBe(row.id);
    // Read once: a row inserted later (there is only ever one) does not change the answer.
    await t.db.installation.create({ data: { createdAt: new Date(Date.now() + 60_000) } });
    expect(await installationId(t.db)).toBe(row.id);
  });

  it("does not remember a failed read", async () => {
    const other = createPrisma(t.url);
    await other.$executeRawUnsafe('alter table "Installation" rename to "InstallationAway"');
    try {
      await expect(installationId(other)).rejects.toBeDefined();
    } finally {
      await other.$executeRawUnsafe('alter table "InstallationAway" rename to "Installation"');
    }
    expect(await installationId(other)).toBe((await other.installation.findFirstOrThrow({ orderBy: { createdAt: "asc" } })).id);
    await other.$disconnect();
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { makeUser } from "../../test/factories";
import { hashPassword } from "./passwords";
import { verifyCredentials } from "./verify-credentials";

describe("verifyCredentials", () => {
  let t: TestDatabase;
  let hash: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    hash = await hashPassword("correct horse");
  });
  afterAll(() => t.drop());

  it("accepts the right password (e-mail case-insensitive) and stores no plain text", async () => {
    const u = await makeUser(t.db, { email: "carol@test.local", passwordHash: hash });
    const r = await verifyCredentials(t.db, { email: "  Carol@Test.Local ", password: "correct horse" });
    expect(r).toEqual({ ok: true, user: { id: u.id, email: u.email, name: u.name } });
    const row = await t.db.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.lastLoginAt).not.toBeNull();
  });

  it("refuses a wrong password, an unknown e-mail and malformed input alike", async () => {
    await makeUser(t.db, { email: "dave@test.local", passwordHash: hash });
    expect(await verifyCredentials(t.db, { email: "dave@test.local", password: "nope" })).toEqual({ ok: false, reason: "INVALID" });
    expect(await verifyCredentials(t.db, { email: "nobody@test.local", password: "x" })).toEqual({ ok: false, reason: "INVALID" });
    expect(await verifyCredentials(t.db, { email: "not-an-email", password: "x" })).toEqual({ ok: false, reason: "INVALID" });
    expect(await verifyCredentials(t.db, { email: ["a"], password: 1 })).toEqual({ ok: false, reason: "INVALID" });
  });

  it("locks the account after 5 failures, even for the right password, until the lock expires", async () => {
    const u = await makeUser(t.db, { email: "erin@test.local", passwordHash: hash });
    const t0 = new Date("2026-01-01T10:00:00Z");
    for (let i = 0; i < 4; i++) {
      expect((await verifyCredentials(t.db, { email: u.email, password: "bad" }, t0)).ok).toBe(false);
    }
    expect(await verifyCredentials(t.db, { email: u.email, password: "bad" }, t0)).toEqual({ ok: false, reason: "LOCKED" });
    expect(await verifyCredentials(t.db, { email: u.email, password: "correct horse" }, new Date(t0.getTime() + 60_000))).toEqual({
      ok: false,
      reason: "LOCKED",
    });
    const later = new Date(t0.getTime() + 16 * 60_000);
    expect((await verifyCredentials(t.db, { email: u.email, password: "correct horse" }, later)).ok).toBe(true);
  });

  it("counts concurrent failures without losing any", async () => {
    const u = await makeUser(t.db, { email: "frank@test.local", passwordHash: hash });
    const results = await Promise.all(Array.from({ length: 8 }, () => verifyCredentials(t.db, { email: u.email, password: "bad" })));
    expect(results.some((r) => !r.ok && r.reason === "LOCKED")).toBe(true);
    const row = await t.db.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(row.lockedUntil).not.toBeNull();
  });

  it("refuses disabled users", async () => {
    const u = await makeUser(t.db, { email: "gina@test.local", passwordHash: hash });
    await t.db.user.update({ where: { id: u.id }, data: { disabled: true } });
    expect((await verifyCredentials(t.db, { email: u.email, password: "correct horse" })).ok).toBe(false);
  });
});

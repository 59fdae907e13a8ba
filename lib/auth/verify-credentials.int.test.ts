import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { makeUser } from "../../test/factories";
import { hashPassword, verifyPassword } from "./passwords";
import { verifyCredentials } from "./verify-credentials";
import { createSession, isSessionLive } from "./sessions";
import { loadActor } from "./load-actor";

describe("verifyCredentials", () => {
  let t: TestDatabase;
  let hash: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    hash = await hashPassword("correct horse");
  });
  afterAll(() => t.drop());

  // Each test signs in from its own address, so the per-address limit is its own.
  let n = 0;
  const ip = () => `192.0.2.${++n}`;

  it("accepts the right password (e-mail case-insensitive) and stores no plain text", async () => {
    const u = await makeUser(t.db, { email: "carol@test.local", passwordHash: hash });
    const r = await verifyCredentials(t.db, { email: "  Carol@Test.Local ", password: "correct horse" }, new Date(), { ip: ip() });
    expect(r).toEqual({ ok: true, user: { id: u.id, email: u.email, name: u.name } });
    const row = await t.db.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.lastLoginAt).not.toBeNull();
  });

  it("refuses a wrong password, an unknown e-mail and malformed input alike, and audits each failure", async () => {
    const u = await makeUser(t.db, { email: "dave@test.local", passwordHash: hash });
    const from = ip();
    expect(await verifyCredentials(t.db, { email: "dave@test.local", password: "nope" }, new Date(), { ip: from })).toEqual({ ok: false, reason: "INVALID" });
    expect(await verifyCredentials(t.db, { email: "nobody@test.local", password: "x" }, new Date(), { ip: from })).toEqual({ ok: false, reason: "INVALID" });
    expect(await verifyCredentials(t.db, { email: "not-an-email", password: "x" })).toEqual({ ok: false, reason: "INVALID" });
    expect(await verifyCredentials(t.db, { email: ["a"], password: 1 })).toEqual({ ok: false, reason: "INVALID" });
    const audited = await t.db.auditEvent.findMany({ where: { action: "auth.signin_failed", actorEmail: { in: ["dave@test.local", "nobody@test.local"] } }, orderBy: { id: "asc" } });
    expect(audited.map((e) => [e.actorEmail, e.targetId, (e.after as { reason: string; ip: string }).reason, (e.after as { ip: string }).ip])).toEqual([
      ["dave@test.local", u.id, "INVALID", from],
      ["nobody@test.local", null, "INVALID", from],
    ]);
  });

  it("locks the account after 5 failures, even for the right password, until the window ends", async () => {
    const u = await makeUser(t.db, { email: "erin@test.local", passwordHash: hash });
    const t0 = new Date("2026-01-01T10:00:00Z");
    for (let i = 0; i < 4; i++) {
      expect(await verifyCredentials(t.db, { email: u.email, password: "bad" }, t0, { ip: ip() })).toEqual({ ok: false, reason: "INVALID" });
    }
    expect(await verifyCredentials(t.db, { email: u.email, password: "bad" }, t0, { ip: ip() })).toMatchObject({ ok: false, reason: "LOCKED" });
    expect(await verifyCredentials(t.db, { email: u.email, password: "correct horse" }, new Date(t0.getTime() + 60_000), { ip: ip() })).toMatchObject({
      ok: false,
      reason: "LOCKED",
    });
    const later = new Date(t0.getTime() + 16 * 60_000);
    expect((await verifyCredentials(t.db, { email: u.email, password: "correct horse" }, later, { ip: ip() })).ok).toBe(true);
  });

  it("checks at most 5 passwords of 30 parallel guesses (the attempt is counted before the check)", async () => {
    const u = await makeUser(t.db, { email: "frank@test.local", passwordHash: hash });
    let checked = 0;
    const verify = async (h: string, p: string) => {
      if (h === hash) checked++;
      return verifyPassword(h, p);
    };
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => verifyCredentials(t.db, { email: u.email, password: `bad-${i}` }, new Date(), { ip: `198.51.100.${i}` }, { verify })),
    );
    expect(checked).toBeLessThanOrEqual(5);
    expect(results.every((r) => !r.ok)).toBe(true);
    const row = await t.db.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(row.lockedUntil).not.toBeNull();
  });

  it("limits failures per client address across accounts (password spraying), even for a right password", async () => {
    const from = ip();
    for (let i = 0; i < 20; i++) {
      expect(await verifyCredentials(t.db, { email: `spray-${i}@test.local`, password: "Winter2026!" }, new Date(), { ip: from })).toMatchObject({ ok: false, reason: "INVALID" });
    }
    const real = await makeUser(t.db, { email: "gail@test.local", passwordHash: hash });
    const r = await verifyCredentials(t.db, { email: real.email, password: "correct horse" }, new Date(), { ip: from });
    expect(r).toMatchObject({ ok: false, reason: "RATE_LIMITED" });
    expect((r as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await verifyCredentials(t.db, { email: real.email, password: "correct horse" }, new Date(), { ip: ip() })).ok).toBe(true);
  });

  it("a lock ends the user's sessions and refuses them (and their tokens) while it lasts", async () => {
    const u = await makeUser(t.db, { email: "hank@test.local", passwordHash: hash });
    const now = new Date();
    const sid = await createSession(t.db, { userId: u.id, now });
    expect(await isSessionLive(t.db, sid, now)).toBe(true);
    for (let i = 0; i < 5; i++) await verifyCredentials(t.db, { email: u.email, password: "bad" }, now, { ip: ip() });
    expect(await isSessionLive(t.db, sid, now)).toBe(false);
    expect((await t.db.session.findUniqueOrThrow({ where: { id: sid } })).revokedReason).toBe("LOCKED");
    expect(await loadActor(t.db, u.id, now)).toBeNull();
    expect(await t.db.auditEvent.count({ where: { action: "user.lock", targetId: u.id } })).toBe(1);
    expect(await loadActor(t.db, u.id, new Date(now.getTime() + 16 * 60_000))).not.toBeNull();
  });

  it("refuses disabled users", async () => {
    const u = await makeUser(t.db, { email: "gina@test.local", passwordHash: hash });
    await t.db.user.update({ where: { id: u.id }, data: { disabled: true } });
    expect((await verifyCredentials(t.db, { email: u.email, password: "correct horse" }, new Date(), { ip: ip() })).ok).toBe(false);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { ctxFor, makeUser } from "../../test/factories";
import { AppError } from "../errors";
import { createApiToken } from "./create-api-token";
import { listApiTokens } from "./list-api-tokens";
import { revokeApiToken } from "./revoke-api-token";
import { authenticateApiToken } from "./authenticate-api-token";
import { hashTokenSecret } from "./token-secret";
import { MAX_LIVE_TOKENS } from "./schemas";

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});

async function expectAppError(fn: () => Promise<unknown>, code: string): Promise<AppError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code, (err as AppError).message).toBe(code);
    return err as AppError;
  }
  throw new Error(`expected ${code}, but it succeeded`);
}

const NOW = new Date("2026-03-10T12:00:00Z");
const at = () => NOW;

describe("personal API tokens", () => {
  it("stores only the hash and a display prefix, and audits the creation", async () => {
    const user = await makeUser(tdb.db);
    const ctx = await ctxFor(tdb.db, user.id, at);
    const tok = await createApiToken(ctx, { name: "CI deploys", expiresOn: "2026-06-30" });
    expect(tok.secret).toMatch(/^orq_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(tok.secret.startsWith(`${tok.prefix}_`)).toBe(true);
    expect(tok.expiresAt?.toISOString()).toBe("2026-06-30T23:59:59.999Z");

    const row = await tdb.db.apiToken.findUniqueOrThrow({ where: { id: tok.id } });
    expect(row.tokenHash).toBe(hashTokenSecret(tok.secret));
    expect(JSON.stringify(row)).not.toContain(tok.secret.slice(tok.prefix.length + 1));

    const audit = await tdb.db.auditEvent.findMany({ where: { targetId: tok.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "apitoken.create", actorId: user.id, targetType: "ApiToken", correlationId: ctx.correlationId });
    expect(JSON.stringify({ before: audit[0].before, after: audit[0].after })).not.toContain(tok.secret);
  });

  it("refuses a bad name or an expiry in the past or beyond a year, writing nothing", async () => {
    const user = await makeUser(tdb.db);
    const ctx = await ctxFor(tdb.db, user.id, at);
    const past = await expectAppError(() => createApiToken(ctx, { name: "x", expiresOn: "2026-03-10" }), "VALIDATION");
    expect(past.details?.fields).toEqual({ expiresOn: ["settings.tokens.validation.expiryInPast"] });
    const far = await expectAppError(() => createApiToken(ctx, { name: "x", expiresOn: "2027-03-12" }), "VALIDATION");
    expect(far.details?.fields).toEqual({ expiresOn: ["settings.tokens.validation.expiryTooFar"] });
    // Exactly a year ahead is fine.
    await createApiToken(ctx, { name: "year", expiresOn: "2027-03-10" });
    expect(await tdb.db.apiToken.count({ where: { userId: user.id } })).toBe(1);
    expect(await tdb.db.auditEvent.count({ where: { actorId: user.id } })).toBe(1);
  });

  it("lists only the caller's own tokens, with their status", async () => {
    const [a, b] = await Promise.all([makeUser(tdb.db), makeUser(tdb.db)]);
    const ctxA = await ctxFor(tdb.db, a.id, at);
    const ctxB = await ctxFor(tdb.db, b.id, at);
    const live = await createApiToken(ctxA, { name: "live" });
    const gone = await createApiToken(ctxA, { name: "gone" });
    await revokeApiToken(ctxA, { tokenId: gone.id });
    const old = await createApiToken(ctxA, { name: "old", expiresOn: "2026-03-11" });
    await createApiToken(ctxB, { name: "someone else's" });

    const later = await ctxFor(tdb.db, a.id, () => new Date("2026-03-12T00:00:00Z"));
    const rows = await listApiTokens(later);
    expect(Object.fromEntries(rows.map((r) => [r.name, r.status]))).toEqual({ live: "ACTIVE", gone: "REVOKED", old: "EXPIRED" });
    expect(rows.map((r) => r.id).sort()).toEqual([live.id, gone.id, old.id].sort());
    expect(Object.keys(rows[0])).not.toContain("tokenHash");
  });

  it("revokes only the caller's own tokens, once", async () => {
    const [a, b] = await Promise.all([makeUser(tdb.db), makeUser(tdb.db)]);
    const ctxA = await ctxFor(tdb.db, a.id, at);
    const ctxB = await ctxFor(tdb.db, b.id, at);
    const tok = await createApiToken(ctxA, { name: "mine" });
    await expectAppError(() => revokeApiToken(ctxB, { tokenId: tok.id }), "NOT_FOUND");
    expect(await authenticateApiToken(tdb.db, tok.secret, NOW)).toEqual({ userId: a.id, tokenId: tok.id });

    await revokeApiToken(ctxA, { tokenId: tok.id });
    expect(await authenticateApiToken(tdb.db, tok.secret, NOW)).toBeNull();
    await expectAppError(() => revokeApiToken(ctxA, { tokenId: tok.id }), "CONFLICT");
    const audit = await tdb.db.auditEvent.findMany({ where: { targetId: tok.id }, orderBy: { id: "asc" } });
    expect(audit.map((e) => e.action)).toEqual(["apitoken.create", "apitoken.revoke"]);
  });

  it("refuses expired tokens at the second they expire", async () => {
    const user = await makeUser(tdb.db);
    const tok = await createApiToken(await ctxFor(tdb.db, user.id, at), { name: "short", expiresOn: "2026-03-11" });
    expect(await authenticateApiToken(tdb.db, tok.secret, new Date("2026-03-11T23:59:59.998Z"))).not.toBeNull();
    expect(await authenticateApiToken(tdb.db, tok.secret, new Date("2026-03-11T23:59:59.999Z"))).toBeNull();
  });

  it(`caps live tokens at ${MAX_LIVE_TOKENS} per person`, async () => {
    const user = await makeUser(tdb.db);
    const ctx = await ctxFor(tdb.db, user.id, at);
    for (let i = 0; i < MAX_LIVE_TOKENS; i++) await createApiToken(ctx, { name: `t${i}` });
    const err = await expectAppError(() => createApiToken(ctx, { name: "one too many" }), "CONFLICT");
    expect(err.details?.fields).toEqual({ name: ["settings.tokens.validation.tooMany"] });
    const first = await tdb.db.apiToken.findFirstOrThrow({ where: { userId: user.id, name: "t0" } });
    await revokeApiToken(ctx, { tokenId: first.id });
    await createApiToken(ctx, { name: "after a revocation" });
  });
});

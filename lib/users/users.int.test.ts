import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeProject, makeUser } from "../../test/factories";
import { createSession, isSessionLive } from "../auth/sessions";
import { loadActor } from "../auth/load-actor";
import { hashPassword, verifyPassword } from "../auth/passwords";
import { verifyCredentials } from "../auth/verify-credentials";
import { createApiToken } from "../apitokens/create-api-token";
import { authenticateApiToken } from "../apitokens/authenticate-api-token";
import { recordAudit } from "../audit/record-audit";
import { setUserDisabled } from "./set-user-disabled";
import { revokeUserAccess } from "./revoke-user-access";
import { deleteUser, TOMBSTONE_NAME, tombstoneEmail } from "./delete-user";
import { listUsers } from "./list-users";
import { changePassword } from "./change-password";
import { signOutEverywhere } from "./sign-out-everywhere";
import { listMySessions } from "./list-my-sessions";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

const adminCtx = async () => ctxFor(t.db, (await makeUser(t.db, { role: "ADMIN" })).id);

describe("user administration", () => {
  it("disabling ends the user's sessions at once and stops their tokens; enabling restores the tokens", async () => {
    const admin = await adminCtx();
    const u = await makeUser(t.db);
    const now = new Date();
    const sid = await createSession(t.db, { userId: u.id, now });
    const tok = await createApiToken(await ctxFor(t.db, u.id), { name: "ci" });
    await setUserDisabled(admin, { id: u.id, disabled: true });
    expect(await isSessionLive(t.db, sid, new Date())).toBe(false);
    expect(await authenticateApiToken(t.db, tok.secret, new Date())).not.toBeNull(); // the token row is fine...
    expect(await loadActor(t.db, u.id)).toBeNull(); // ...but its user may not act
    await setUserDisabled(admin, { id: u.id, disabled: false });
    expect(await loadActor(t.db, u.id)).not.toBeNull();
    expect(await isSessionLive(t.db, sid, new Date())).toBe(false); // ended sessions stay ended
    await expect(setUserDisabled(admin, { id: admin.actor.id, disabled: true })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("an administrator revokes a user's sessions and tokens", async () => {
    const admin = await adminCtx();
    const u = await makeUser(t.db);
    const sid = await createSession(t.db, { userId: u.id, now: new Date() });
    const tok = await createApiToken(await ctxFor(t.db, u.id), { name: "ci" });
    expect(await revokeUserAccess(admin, { id: u.id, sessions: true, tokens: true })).toEqual({ sessionsEnded: 1, tokensRevoked: 1 });
    expect(await isSessionLive(t.db, sid, new Date())).toBe(false);
    expect(await authenticateApiToken(t.db, tok.secret, new Date())).toBeNull();
    const listed = await listUsers(admin, { q: u.email, page: 1 });
    expect(listed.items).toEqual([expect.objectContaining({ id: u.id, activeSessions: 0, activeTokens: 0 })]);
  });

  it("deleting a user anonymises them without touching the append-only audit table", async () => {
    const admin = await adminCtx();
    const u = await makeUser(t.db, { email: "leaving@test.local", name: "Leaving Person" });
    const p = await makeProject(t.db);
    await addMember(t.db, p.id, u.id);
    await createSession(t.db, { userId: u.id, now: new Date() });
    await createApiToken(await ctxFor(t.db, u.id), { name: "ci" });
    // Audit rows by and about the user exist (and the table refuses UPDATE/DELETE).
    await t.db.$transaction((tx) => recordAudit(tx, { actor: { id: u.id, email: u.email, name: u.name, role: "USER", memberships: new Map() }, correlationId: "c" }, { action: "x.y", targetType: "User", targetId: u.id }));
    const auditBefore = await t.db.auditEvent.findMany({ where: { actorId: u.id } });
    await deleteUser(admin, { id: u.id });
    const row = await t.db.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(row).toMatchObject({ email: tombstoneEmail(u.id), name: TOMBSTONE_NAME, disabled: true });
    expect(row.deletedAt).not.toBeNull();
    expect(await t.db.projectMember.count({ where: { userId: u.id } })).toBe(0);
    expect(await t.db.session.count({ where: { userId: u.id } })).toBe(0);
    expect(await t.db.apiToken.count({ where: { userId: u.id } })).toBe(0);
    expect(await t.db.auditEvent.findMany({ where: { actorId: u.id } })).toEqual(auditBefore);
    expect(await t.db.auditEvent.count({ where: { action: "user.delete", targetId: u.id } })).toBe(1);
    expect((await verifyCredentials(t.db, { email: "leaving@test.local", password: "anything" }, new Date(), { ip: "203.0.113.77" })).ok).toBe(false);
    // Gone from the list, NOT_FOUND the second time, and the e-mail can be reused.
    expect((await listUsers(admin, { q: "leaving", page: 1 })).items).toEqual([]);
    await expect(deleteUser(admin, { id: u.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await makeUser(t.db, { email: "leaving@test.local" });
  });

  it("refuses to delete yourself or the last administrator", async () => {
    const admin = await adminCtx();
    await expect(deleteUser(admin, { id: admin.actor.id })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("non-administrators may not manage users", async () => {
    const user = await ctxFor(t.db, (await makeUser(t.db)).id);
    await expect(listUsers(user, { page: 1 })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("own account", () => {
  it("changing the password ends the other sessions, keeps this one, and checks the current password", async () => {
    const u = await makeUser(t.db, { passwordHash: await hashPassword("old password 123") });
    const now = new Date();
    const [mine, other] = [await createSession(t.db, { userId: u.id, now }), await createSession(t.db, { userId: u.id, now })];
    const ctx = { ...(await ctxFor(t.db, u.id)), sessionId: mine };
    await expect(changePassword(ctx, { currentPassword: "wrong", newPassword: "new password 456" })).rejects.toMatchObject({ code: "VALIDATION" });
    expect(await changePassword(ctx, { currentPassword: "old password 123", newPassword: "new password 456" })).toEqual({ sessionsEnded: 1 });
    expect(await isSessionLive(t.db, mine, new Date())).toBe(true);
    expect(await isSessionLive(t.db, other, new Date())).toBe(false);
    expect(await verifyPassword((await t.db.user.findUniqueOrThrow({ where: { id: u.id } })).passwordHash, "new password 456")).toBe(true);
    expect((await listMySessions(ctx)).items).toEqual([expect.objectContaining({ id: mine, current: true })]);
  });

  it("sign out everywhere ends every session, this one included", async () => {
    const u = await makeUser(t.db);
    const a = await createSession(t.db, { userId: u.id, now: new Date() });
    const b = await createSession(t.db, { userId: u.id, now: new Date() });
    const ctx = { ...(await ctxFor(t.db, u.id)), sessionId: a };
    expect(await signOutEverywhere(ctx)).toEqual({ sessionsEnded: 2 });
    expect(await isSessionLive(t.db, a, new Date())).toBe(false);
    expect(await isSessionLive(t.db, b, new Date())).toBe(false);
  });
});

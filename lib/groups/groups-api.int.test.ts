// Users and groups through the administration API (the same verbs as the portal's pages):
// groups mapped to project roles and to the administrator role, members by hand, the user
// detail with own, group and effective roles, and local invitations (without e-mail the
// administrator gets the one-time link; accepting it sets the password once).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { ctxFor, makeProject, makeUser } from "../../test/factories";
import { apiCall } from "../../test/api-client";
import { createApiToken } from "../apitokens/create-api-token";
import { apiRuntime } from "../api/handler";
import * as I from "../api/identity-responses";
import { loadActor } from "../auth/load-actor";
import { verifyCredentials } from "../auth/verify-credentials";
import { resetEnvCache } from "../env";
import { acceptInvitation, findInvitation } from "../users/accept-invitation";

let tdb: TestDatabase;
let admin = "";
let user = "";
beforeAll(async () => {
  delete process.env.ORQ_SMTP_HOST;
  process.env.ORQ_PUBLIC_URL = "https://portal.test";
  resetEnvCache();
  tdb = await createTestDatabase();
  apiRuntime.db = () => tdb.db;
  apiRuntime.sessionId = async () => null;
  apiRuntime.rateLimit = () => ({ limit: 100_000, windowMs: 60_000 });
  admin = (await createApiToken(await ctxFor(tdb.db, (await makeUser(tdb.db, { role: "ADMIN" })).id), { name: "admin" })).secret;
  user = (await createApiToken(await ctxFor(tdb.db, (await makeUser(tdb.db)).id), { name: "user" })).secret;
});
afterAll(async () => {
  await tdb?.drop();
  delete process.env.ORQ_PUBLIC_URL;
  resetEnvCache();
});

const call = (method: string, target: string, body?: unknown, token = admin) => apiCall(method, target, { token, body });

describe("groups", () => {
  it("grant project roles and the administrator role to their members, at once", async () => {
    const project = await makeProject(tdb.db);
    const alice = await makeUser(tdb.db);
    const created = await call("POST", "/admin/groups", { name: "Platform engineers", description: "The platform team", idpGroup: "platform-engineers" });
    expect(created.status).toBe(201);
    const g = I.group.parse(created.json);
    expect(g).toMatchObject({ name: "Platform engineers", idpGroup: "platform-engineers", grantsAdmin: false, memberCount: 0, projectRoles: [] });

    expect((await call("PUT", `/admin/groups/${g.id}/projects/${project.id}`, { role: "MEMBER" })).json).toEqual({ groupId: g.id, projectId: project.id, projectName: project.name, role: "MEMBER" });
    const added = await call("POST", `/admin/groups/${g.id}/members`, { email: alice.email.toUpperCase() });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ groupId: g.id, userId: alice.id, source: "MANUAL" });
    expect((await call("POST", `/admin/groups/${g.id}/members`, { email: alice.email })).status).toBe(409);

    // The member's rights come from the group on their next request.
    expect((await loadActor(tdb.db, alice.id))!.memberships.get(project.id)).toBe("MEMBER");
    expect((await loadActor(tdb.db, alice.id))!.role).toBe("USER");
    await call("PUT", `/admin/groups/${g.id}`, { name: "Platform engineers", description: "The platform team", idpGroup: "platform-engineers", grantsAdmin: true });
    expect((await loadActor(tdb.db, alice.id))!.role).toBe("ADMIN");

    const detail = I.adminUserDetail.parse((await call("GET", `/admin/users/${alice.id}`)).json);
    expect(detail).toMatchObject({ role: "USER", effectiveRole: "ADMIN", adminVia: ["Platform engineers"], groups: 1, sso: false });
    expect(detail.groupMemberships).toEqual([{ id: g.id, name: "Platform engineers", source: "MANUAL", grantsAdmin: true, idpGroup: "platform-engineers" }]);
    expect(detail.projectRoles).toEqual([{ projectId: project.id, projectName: project.name, ownRole: null, viaGroups: [{ group: "Platform engineers", role: "MEMBER" }], effectiveRole: "MEMBER" }]);

    const got = I.groupDetail.parse((await call("GET", `/admin/groups/${g.id}`)).json);
    expect(got).toMatchObject({ memberCount: 1, grantsAdmin: true, members: [{ userId: alice.id, email: alice.email, source: "MANUAL", disabled: false }] });
    expect(I.groupList.parse((await call("GET", "/admin/groups")).json).items.map((x) => x.id)).toContain(g.id);

    // Removing the member, then deleting the group, takes what it granted away.
    expect((await call("DELETE", `/admin/groups/${g.id}/members/${alice.id}`)).json).toEqual({ groupId: g.id, userId: alice.id });
    expect((await loadActor(tdb.db, alice.id))!.role).toBe("USER");
    expect((await loadActor(tdb.db, alice.id))!.memberships.has(project.id)).toBe(false);
    await call("POST", `/admin/groups/${g.id}/members`, { email: alice.email });
    expect((await call("DELETE", `/admin/groups/${g.id}/projects/${project.id}`)).status).toBe(200);
    expect((await loadActor(tdb.db, alice.id))!.memberships.has(project.id)).toBe(false);
    expect((await call("DELETE", `/admin/groups/${g.id}`)).status).toBe(204);
    expect((await call("GET", `/admin/groups/${g.id}`)).status).toBe(404);
    expect((await loadActor(tdb.db, alice.id))!.role).toBe("USER");

    const audit = await tdb.db.auditEvent.findMany({ where: { targetId: g.id }, select: { action: true } });
    expect(new Set(audit.map((a) => a.action))).toEqual(
      new Set(["group.create", "group.set_project_role", "group.add_member", "group.update", "group.remove_member", "group.remove_project_role", "group.delete"]),
    );
  });

  it("keeps the higher role when a user's own membership and a group's differ", async () => {
    const project = await makeProject(tdb.db);
    const bob = await makeUser(tdb.db);
    await tdb.db.projectMember.create({ data: { projectId: project.id, userId: bob.id, role: "APPROVER" } });
    const g = I.group.parse((await call("POST", "/admin/groups", { name: `viewers-${Date.now()}` })).json);
    await call("PUT", `/admin/groups/${g.id}/projects/${project.id}`, { role: "VIEWER" });
    await call("POST", `/admin/groups/${g.id}/members`, { email: bob.email });
    expect((await loadActor(tdb.db, bob.id))!.memberships.get(project.id)).toBe("APPROVER");
    const detail = I.adminUserDetail.parse((await call("GET", `/admin/users/${bob.id}`)).json);
    expect(detail.projectRoles[0]).toMatchObject({ ownRole: "APPROVER", viaGroups: [{ role: "VIEWER" }], effectiveRole: "APPROVER" });
  });

  it("refuse duplicate names and IdP mappings, unknown users and projects, and non-administrators", async () => {
    await call("POST", "/admin/groups", { name: "Unique one", idpGroup: "uniq" });
    const sameName = await call("POST", "/admin/groups", { name: "Unique one" });
    expect(sameName.status).toBe(400);
    expect(sameName.json).toMatchObject({ error: { details: { fieldKeys: { name: ["groups.validation.nameTaken"] } } } });
    const sameIdp = await call("POST", "/admin/groups", { name: "Another", idpGroup: "uniq" });
    expect(sameIdp.json).toMatchObject({ error: { details: { fieldKeys: { idpGroup: ["groups.validation.idpGroupTaken"] } } } });
    const g = I.group.parse((await call("POST", "/admin/groups", { name: "Third" })).json);
    const unknown = await call("POST", `/admin/groups/${g.id}/members`, { email: "nobody@example.com" });
    expect(unknown.json).toMatchObject({ error: { details: { fieldKeys: { email: ["groups.validation.userUnknown"] } } } });
    expect((await call("PUT", `/admin/groups/${g.id}/projects/${crypto.randomUUID()}`, { role: "MEMBER" })).status).toBe(400);
    expect((await call("PUT", `/admin/groups/${g.id}/projects/${crypto.randomUUID()}`, { role: "OWNER" })).status).toBe(400);
    for (const [method, path] of [
      ["GET", "/admin/groups"],
      ["POST", "/admin/groups"],
      ["GET", `/admin/groups/${g.id}`],
      ["DELETE", `/admin/groups/${g.id}`],
    ] as const) {
      expect((await call(method, path, method === "POST" ? { name: "x" } : undefined, user)).status, `${method} ${path}`).toBe(403);
    }
  });
});

describe("invitations (no e-mail configured)", () => {
  it("create the user, hand the administrator a one-time link, and set the password once", async () => {
    const email = `invitee-${Date.now()}@example.com`;
    const res = await call("POST", "/admin/users", { email, name: "Ada Lovelace", role: "USER", locale: "pt-BR" });
    expect(res.status).toBe(201);
    const inv = I.invitation.parse(res.json);
    expect(inv).toMatchObject({ emailed: false, user: { email, name: "Ada Lovelace", role: "USER", sso: false } });
    expect(inv.user.invitationExpiresAt).toBe(inv.expiresAt);
    const token = inv.invitationUrl!.match(/^https:\/\/portal\.test\/invite\/([A-Za-z0-9_-]{43})$/)![1];
    expect(await tdb.db.emailMessage.count()).toBe(0);

    // No password works before acceptance.
    expect((await verifyCredentials(tdb.db, { email, password: "!invited-not-a-password" })).ok).toBe(false);
    expect((await call("POST", "/admin/users", { email, name: "Again" })).json).toMatchObject({ error: { details: { fieldKeys: { email: ["users.validation.emailTaken"] } } } });

    // A new link replaces the old one.
    const again = I.invitation.parse((await call("POST", `/admin/users/${inv.user.id}/invitation`)).json);
    const token2 = again.invitationUrl!.split("/").pop()!;
    expect(token2).not.toBe(token);
    expect(await findInvitation(tdb.db, token)).toEqual({ ok: false });
    expect(await findInvitation(tdb.db, token2)).toEqual({ ok: true, email, name: "Ada Lovelace" });

    const password = "correct horse battery staple";
    const [a, b] = await Promise.all([acceptInvitation(tdb.db, { token: token2, password }), acceptInvitation(tdb.db, { token: token2, password: "another long password" })]);
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    const won = a.ok ? password : "another long password";
    expect((await verifyCredentials(tdb.db, { email, password: won })).ok).toBe(true);
    expect(await findInvitation(tdb.db, token2)).toEqual({ ok: false });
    expect((await call("POST", `/admin/users/${inv.user.id}/invitation`)).status).toBe(409);
    const row = I.adminUserRow.parse((await call("GET", `/admin/users/${inv.user.id}`)).json);
    expect(row.invitationExpiresAt).toBeNull();
    const audit = await tdb.db.auditEvent.findMany({ where: { targetId: inv.user.id }, select: { action: true } });
    expect(audit.map((x) => x.action).sort()).toEqual(["auth.signin_failed", "user.accept_invitation", "user.invite", "user.reinvite"]);
  });

  it("refuses expired and malformed links", async () => {
    const email = `late-${Date.now()}@example.com`;
    const inv = I.invitation.parse((await call("POST", "/admin/users", { email, name: "Late" })).json);
    const token = inv.invitationUrl!.split("/").pop()!;
    const later = new Date(Date.now() + 8 * 86_400_000);
    expect(await findInvitation(tdb.db, token, later)).toEqual({ ok: false });
    expect(await acceptInvitation(tdb.db, { token, password: "a long enough password" }, later)).toEqual({ ok: false });
    expect(await findInvitation(tdb.db, "short")).toEqual({ ok: false });
    expect(await findInvitation(tdb.db, "A".repeat(43))).toEqual({ ok: false });
  });
});

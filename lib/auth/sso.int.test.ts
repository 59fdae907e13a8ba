// Single sign-on end to end, without a browser: the portal's own Auth.js configuration (in
// process, against a test database) and a real OpenID Connect provider on loopback
// (test/identity/oidc-server.ts), walked through HTTP: discovery, authorization code with
// PKCE, state and nonce, the provider's login form, token exchange, userinfo, then our
// provisioning, group mapping and server-side session. (e2e/sso.spec.ts does it in Chromium.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import NextAuth from "next-auth";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { makeProject, makeUser } from "../../test/factories";
import { startTestOidcProvider, type TestOidcServer, type TestOidcUser } from "../../test/identity/oidc-server";
import { ssoSignIn, type AuthHandler } from "../../test/identity/sso-flow";
import { CookieJar } from "../../test/identity/browser-jar";
import { authConfig } from "./auth-config";
import type { OidcSettings } from "./oidc-config";
import { loadActor } from "./load-actor";
import { isSessionLive, revokeUserSessions } from "./sessions";
import { SSO_ONLY_PASSWORD } from "./provision-oidc-user";

const PORTAL = "http://portal.test:3999";
let t: TestDatabase;
let idp: TestOidcServer;
let handler: AuthHandler;

const user = (username: string, groups: string[], extra: Partial<TestOidcUser> = {}): TestOidcUser => ({
  username,
  password: `${username}-pw`,
  sub: `sub-${username}`,
  email: `${username}@corp.example`,
  emailVerified: true,
  name: `${username[0].toUpperCase()}${username.slice(1)} Example`,
  groups,
  ...extra,
});

beforeAll(async () => {
  t = await createTestDatabase();
  idp = await startTestOidcProvider({
    clientId: "orquestra",
    clientSecret: "test-client-secret",
    redirectUris: [`${PORTAL}/api/auth/callback/oidc`],
    users: [
      user("dana", ["platform-engineers", "unmapped-group"]),
      user("erik", []),
      user("fay", [], { email: "fay.local@corp.example", emailVerified: true }),
      user("gus", [], { email: "gus.local@corp.example", emailVerified: false }),
      user("hal", []),
    ],
  });
  const oidc: OidcSettings = {
    issuer: idp.issuer,
    clientId: "orquestra",
    clientSecret: "test-client-secret",
    scopes: "openid email profile groups",
    name: "Corp IdP",
    claims: { email: "email", name: "name", groups: "groups" },
    userinfo: true,
    linkByEmail: "verified",
  };
  const { handlers } = NextAuth((req) => ({
    ...authConfig({ db: () => t.db, oidc, sessionHours: 12, headers: req?.headers }),
    secret: "sso-integration-test-secret-0123456789",
    basePath: "/api/auth",
  }));
  handler = (req) => (req.method === "POST" ? handlers.POST(req as never) : handlers.GET(req as never));
});

afterAll(async () => {
  await idp?.stop();
  await t?.drop();
});

async function sessionOf(jar: CookieJar): Promise<{ sessionId?: string; user?: { id?: string } } | null> {
  const res = await handler(new Request(`${PORTAL}/api/auth/session`, { headers: { cookie: jar.header() } }));
  return (await res.json()) as { sessionId?: string } | null;
}

describe("single sign-on through a real OIDC provider", () => {
  it("provisions the user on first sign-in and maps IdP groups to project roles", async () => {
    const web = await makeProject(t.db);
    const group = await t.db.group.create({ data: { name: "Platform engineers", idpGroup: "platform-engineers", projectRoles: { create: { projectId: web.id, role: "MEMBER" } } } });

    const r = await ssoSignIn({ handler, portalBase: PORTAL, username: "dana", password: "dana-pw", callbackUrl: "/machines" });
    expect(r.landedAt).toBe("/machines");
    expect(r.loginPage).toContain('<label for="username">Username</label>');

    const row = await t.db.user.findUniqueOrThrow({ where: { email: "dana@corp.example" } });
    expect(row).toMatchObject({ name: "Dana Example", role: "USER", oidcIssuer: idp.issuer, oidcSubject: "sub-dana", passwordHash: SSO_ONLY_PASSWORD });
    expect(await t.db.groupMember.findMany({ where: { userId: row.id }, select: { groupId: true, source: true } })).toEqual([{ groupId: group.id, source: "IDP" }]);

    // The cookie names a live server-side session of this user, with the browser recorded.
    const s = await sessionOf(r.portal);
    expect(s?.user?.id).toBe(row.id);
    const session = await t.db.session.findUniqueOrThrow({ where: { id: s!.sessionId! } });
    expect(session).toMatchObject({ userId: row.id, userAgent: "sso-flow-test", revokedAt: null });

    const actor = await loadActor(t.db, row.id);
    expect(actor?.role).toBe("USER");
    expect(Object.fromEntries(actor!.memberships)).toEqual({ [web.id]: "MEMBER" });
    expect(await t.db.auditEvent.count({ where: { action: "user.sso_provision", targetId: row.id } })).toBe(1);
    const signin = await t.db.auditEvent.findFirstOrThrow({ where: { action: "auth.sso_signin", targetId: row.id } });
    expect(signin.after).toMatchObject({ claimGroups: ["platform-engineers", "unmapped-group"], groups: ["Platform engineers"], joined: ["Platform engineers"] });
  });

  it("follows group changes at the IdP on the next sign-in, including the administrator role, and keeps manual memberships", async () => {
    const admins = await t.db.group.create({ data: { name: "Portal administrators", idpGroup: "portal-admins", grantsAdmin: true } });
    const manual = await t.db.group.create({ data: { name: "Auditors (manual)" } });
    const erik = await ssoSignIn({ handler, portalBase: PORTAL, username: "erik", password: "erik-pw" });
    expect(erik.landedAt).toBe("/dashboard");
    const row = await t.db.user.findUniqueOrThrow({ where: { email: "erik@corp.example" } });
    await t.db.groupMember.create({ data: { groupId: manual.id, userId: row.id, source: "MANUAL" } });
    expect((await loadActor(t.db, row.id))?.role).toBe("USER");

    idp.users.get("sub-erik")!.groups = ["portal-admins"];
    await ssoSignIn({ handler, portalBase: PORTAL, username: "erik", password: "erik-pw" });
    expect((await loadActor(t.db, row.id))?.role).toBe("ADMIN");
    // The stored role stays USER: administration comes from the group while the IdP says so.
    expect((await t.db.user.findUniqueOrThrow({ where: { id: row.id } })).role).toBe("USER");

    idp.users.get("sub-erik")!.groups = [];
    await ssoSignIn({ handler, portalBase: PORTAL, username: "erik", password: "erik-pw" });
    expect((await loadActor(t.db, row.id))?.role).toBe("USER");
    const memberships = await t.db.groupMember.findMany({ where: { userId: row.id }, select: { groupId: true, source: true } });
    expect(memberships).toEqual([{ groupId: manual.id, source: "MANUAL" }]);
    expect(await t.db.groupMember.count({ where: { groupId: admins.id } })).toBe(0);
  });

  it("links an existing local account only when the IdP says the e-mail is verified", async () => {
    const fayLocal = await makeUser(t.db, { email: "fay.local@corp.example" });
    const r = await ssoSignIn({ handler, portalBase: PORTAL, username: "fay", password: "fay-pw" });
    expect(r.landedAt).toBe("/dashboard");
    expect(await t.db.user.findUniqueOrThrow({ where: { id: fayLocal.id } })).toMatchObject({ oidcSubject: "sub-fay", oidcIssuer: idp.issuer });
    expect(await t.db.auditEvent.count({ where: { action: "user.sso_link", targetId: fayLocal.id } })).toBe(1);

    const gusLocal = await makeUser(t.db, { email: "gus.local@corp.example" });
    const refused = await ssoSignIn({ handler, portalBase: PORTAL, username: "gus", password: "gus-pw" });
    expect(refused.landedAt).toBe("/login?error=EMAIL_TAKEN");
    expect(await sessionOf(refused.portal)).toBeNull();
    expect((await t.db.user.findUniqueOrThrow({ where: { id: gusLocal.id } })).oidcSubject).toBeNull();
    expect(await t.db.session.count({ where: { userId: gusLocal.id } })).toBe(0);
  });

  it("refuses disabled users and ends SSO sessions like any other (revocable)", async () => {
    const r = await ssoSignIn({ handler, portalBase: PORTAL, username: "hal", password: "hal-pw" });
    const hal = await t.db.user.findUniqueOrThrow({ where: { email: "hal@corp.example" } });
    const s = await sessionOf(r.portal);
    expect(await isSessionLive(t.db, s!.sessionId, new Date())).toBe(true);

    await revokeUserSessions(t.db, hal.id, "ADMIN", new Date());
    expect(await sessionOf(r.portal)).toBeNull();

    await t.db.user.update({ where: { id: hal.id }, data: { disabled: true } });
    const again = await ssoSignIn({ handler, portalBase: PORTAL, username: "hal", password: "hal-pw" });
    expect(again.landedAt).toBe("/login?error=DISABLED");
    expect(await t.db.session.count({ where: { userId: hal.id, revokedAt: null } })).toBe(0);
    const failed = await t.db.auditEvent.findFirstOrThrow({ where: { action: "auth.signin_failed", targetId: hal.id } });
    expect(failed.after).toMatchObject({ reason: "DISABLED", method: "sso" });
  });

  it("a wrong password stops at the IdP, and a replayed callback signs nobody in", async () => {
    await expect(ssoSignIn({ handler, portalBase: PORTAL, username: "dana", password: "wrong" })).rejects.toThrow(/refused the login/);

    // Capture the callback URL of a real flow, use it once, then replay it with the same cookies.
    const seen: string[] = [];
    const spy: AuthHandler = async (req) => {
      if (new URL(req.url).pathname.endsWith("/callback/oidc")) seen.push(req.url);
      return handler(req);
    };
    const first = await ssoSignIn({ handler: spy, portalBase: PORTAL, username: "dana", password: "dana-pw" });
    expect(first.landedAt).toBe("/dashboard");
    const before = await t.db.session.count();
    const replay = await handler(new Request(seen[0], { headers: { cookie: first.portal.header() } }));
    expect(replay.headers.get("location")).toMatch(/\/login\?error=/);
    expect(await t.db.session.count()).toBe(before);
  });
});

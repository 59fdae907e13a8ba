// An API call's authentication in one statement (issue 9, per-request overhead): the same
// answers as the separate token, user, membership and rate-limit queries it replaces, and
// the statements a token call sends before its verb, counted at the PostgreSQL client.
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { ctxFor, makeOffering, makeProject, makeTemplate, makeUser } from "../../test/factories";
import { makeMachine } from "../../test/machine-factories";
import { apiRuntime } from "../api/handler";
import { listMachines } from "../machines/list-machines";
import { listMachinesSchema } from "../machines/schemas";
import * as machinesRoute from "../../app/api/v1/machines/route";
import * as requestsRoute from "../../app/api/v1/requests/route";
import { listMyRequests } from "../requests/list-my-requests";
import { listMyRequestsSchema } from "../requests/schemas";
import { authenticateApiCall } from "./authenticate-api-token";
import { createApiToken } from "./create-api-token";
import { revokeApiToken } from "./revoke-api-token";

let tdb: TestDatabase;
const spec = { limit: 3, windowMs: 60_000 };

// Every statement any pg client of this process sends while `counting` is on.
let counting = false;
let statements: string[] = [];
const originalQuery = pg.Client.prototype.query;
beforeAll(async () => {
  tdb = await createTestDatabase();
  apiRuntime.db = () => tdb.db;
  (pg.Client.prototype as { query: unknown }).query = function (this: pg.Client, ...args: unknown[]) {
    if (counting) {
      const q = args[0] as string | { text?: string };
      statements.push(typeof q === "string" ? q : (q?.text ?? ""));
    }
    return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
  };
});
afterAll(async () => {
  pg.Client.prototype.query = originalQuery;
  await tdb?.drop();
});
beforeEach(() => {
  apiRuntime.now = () => new Date();
  apiRuntime.rateLimit = () => ({ limit: 600, windowMs: 60_000 });
});

async function counted<T>(f: () => Promise<T>): Promise<{ result: T; sent: string[] }> {
  statements = [];
  counting = true;
  try {
    const result = await f();
    return { result, sent: statements.filter((s) => !/^\s*(BEGIN|COMMIT|ROLLBACK)\b/i.test(s)) };
  } finally {
    counting = false;
  }
}

async function tokenFor(userId: string) {
  return createApiToken(await ctxFor(tdb.db, userId), { name: `t-${Math.random().toString(36).slice(2)}` });
}

describe("authenticateApiCall", () => {
  it("returns the user's effective roles (own and through groups) and counts the hit, in one statement", async () => {
    const user = await makeUser(tdb.db);
    const own = await makeProject(tdb.db);
    const viaGroup = await makeProject(tdb.db);
    await tdb.db.projectMember.create({ data: { projectId: own.id, userId: user.id, role: "VIEWER" } });
    const group = await tdb.db.group.create({ data: { name: `g-${user.id}` } });
    await tdb.db.groupMember.create({ data: { groupId: group.id, userId: user.id } });
    await tdb.db.groupProjectRole.create({ data: { groupId: group.id, projectId: viaGroup.id, role: "APPROVER" } });
    await tdb.db.groupProjectRole.create({ data: { groupId: group.id, projectId: own.id, role: "MEMBER" } });
    const tok = await tokenFor(user.id);

    const { result, sent } = await counted(() => authenticateApiCall(tdb.db, tok.secret, new Date(), spec));
    expect(sent).toHaveLength(1);
    expect(result!.tokenId).toBe(tok.id);
    expect(result!.actor).toMatchObject({ id: user.id, email: user.email, role: "USER" });
    // The higher of the own and the group's role.
    expect(Object.fromEntries(result!.actor.memberships)).toEqual({ [own.id]: "MEMBER", [viaGroup.id]: "APPROVER" });
    expect(result!.limit).toMatchObject({ allowed: true, count: 1, remaining: 2 });
    const row = await tdb.db.apiToken.findUniqueOrThrow({ where: { id: tok.id } });
    expect(row.lastUsedAt).not.toBeNull();

    // A group granting administration makes an administrator.
    await tdb.db.group.update({ where: { id: group.id }, data: { grantsAdmin: true } });
    const again = await authenticateApiCall(tdb.db, tok.secret, new Date(), spec);
    expect(again!.actor.role).toBe("ADMIN");
    expect(again!.limit.count).toBe(2);
  });

  it("refuses past the limit within the window, and starts a new window after it", async () => {
    const user = await makeUser(tdb.db);
    const tok = await tokenFor(user.id);
    const t0 = new Date();
    const hits = [];
    for (let i = 0; i < 4; i++) hits.push((await authenticateApiCall(tdb.db, tok.secret, t0, spec))!.limit);
    expect(hits.map((h) => h.allowed)).toEqual([true, true, true, false]);
    expect(hits[3].retryAfterSeconds).toBe(60);
    const later = await authenticateApiCall(tdb.db, tok.secret, new Date(t0.getTime() + 61_000), spec);
    expect(later!.limit).toMatchObject({ allowed: true, count: 1 });
  });

  it("is null, and counts nothing, for unknown, revoked and expired tokens and for unusable users", async () => {
    const countOf = async (tokenId: string) => (await tdb.db.rateLimitBucket.findUnique({ where: { key: `api:token:${tokenId}` } }))?.count ?? 0;
    expect(await authenticateApiCall(tdb.db, "orq_not-a-token", new Date(), spec)).toBeNull();
    expect(await authenticateApiCall(tdb.db, "nonsense", new Date(), spec)).toBeNull();

    const user = await makeUser(tdb.db);
    const revoked = await tokenFor(user.id);
    await revokeApiToken(await ctxFor(tdb.db, user.id), { tokenId: revoked.id } as Parameters<typeof revokeApiToken>[1]);
    expect(await authenticateApiCall(tdb.db, revoked.secret, new Date(), spec)).toBeNull();
    expect(await countOf(revoked.id)).toBe(0);

    const expiring = await tokenFor(user.id);
    await tdb.db.apiToken.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await authenticateApiCall(tdb.db, expiring.secret, new Date(), spec)).toBeNull();

    const live = await tokenFor(user.id);
    await tdb.db.user.update({ where: { id: user.id }, data: { lockedUntil: new Date(Date.now() + 60_000) } });
    expect(await authenticateApiCall(tdb.db, live.secret, new Date(), spec)).toBeNull();
    await tdb.db.user.update({ where: { id: user.id }, data: { lockedUntil: null, disabled: true } });
    expect(await authenticateApiCall(tdb.db, live.secret, new Date(), spec)).toBeNull();
    await tdb.db.user.update({ where: { id: user.id }, data: { disabled: false, deletedAt: new Date() } });
    expect(await authenticateApiCall(tdb.db, live.secret, new Date(), spec)).toBeNull();
    expect(await countOf(live.id)).toBe(0);
    // A lock that has run out no longer stops the token.
    await tdb.db.user.update({ where: { id: user.id }, data: { deletedAt: null, lockedUntil: new Date(Date.now() - 1000) } });
    expect(await authenticateApiCall(tdb.db, live.secret, new Date(), spec)).not.toBeNull();
    expect(await countOf(live.id)).toBe(1);
  });
});

describe("statements per API call", () => {
  it("a token call sends ONE statement besides its verb's (was 7: token, user, memberships, group members, groups, group roles, rate limit)", async () => {
    const user = await makeUser(tdb.db, { role: "ADMIN" });
    const tok = await tokenFor(user.id);
    const project = await makeProject(tdb.db);
    for (let i = 0; i < 3; i++) {
      const m = await makeMachine(tdb.db, { projectId: project.id, ownerId: user.id });
      await tdb.db.operation.create({ data: { machineId: m.id, kind: "STOP", status: "QUEUED" } });
    }
    const url = "http://localhost/api/v1/machines";
    const get = () => machinesRoute.GET(new Request(url, { headers: { authorization: `Bearer ${tok.secret}` } }), { params: Promise.resolve({}) });
    // Warm up (lastUsedAt is written on the first call only).
    expect((await get()).status).toBe(200);

    const viaApi = await counted(async () => {
      const r = await get();
      expect(r.status).toBe(200);
    });
    const ctx = await ctxFor(tdb.db, user.id);
    const verbOnly = await counted(() => listMachines(ctx, listMachinesSchema.parse({}), { withProjects: false }));
    console.log(`GET /api/v1/machines with a token: ${viaApi.sent.length} statements, of which the verb's ${verbOnly.sent.length}`);
    expect(viaApi.sent.length - verbOnly.sent.length).toBe(1);
    // The page with its names and current operation, and the capped count: one statement
    // (was 8 through Prisma's include: machines, count, project, offering, template,
    // provider, host, operations), whatever the page shows.
    expect(verbOnly.sent).toHaveLength(1);
    expect(verbOnly.result.items.length).toBeGreaterThan(0);
    expect(verbOnly.result.items.some((m) => m.currentOperation && m.providerName && m.hostName)).toBe(true);
    expect(viaApi.sent).toHaveLength(2);
  });

  it("GET /api/v1/requests sends ONE statement besides authentication (was a count, the page and one per relation)", async () => {
    const user = await makeUser(tdb.db);
    const decider = await makeUser(tdb.db);
    const tok = await tokenFor(user.id);
    const [project, offering, template] = await Promise.all([makeProject(tdb.db), makeOffering(tdb.db), makeTemplate(tdb.db)]);
    for (let i = 0; i < 3; i++)
      await tdb.db.request.create({
        data: {
          projectId: project.id,
          requesterId: user.id,
          offeringId: offering.id,
          templateId: template.id,
          quantity: 1,
          names: [`vm-${i}`],
          monthlyCostCents: 100,
          status: i === 0 ? "PENDING_APPROVAL" : "APPROVED",
          ...(i === 0 ? {} : { decidedById: decider.id, decidedAt: new Date() }),
        },
      });
    const get = (query = "") =>
      requestsRoute.GET(new Request(`http://localhost/api/v1/requests${query}`, { headers: { authorization: `Bearer ${tok.secret}` } }), { params: Promise.resolve({}) });
    expect((await get()).status).toBe(200);

    const ctx = await ctxFor(tdb.db, user.id);
    for (const query of ["", "?sort=project&q=vm", "?sort=cost&dir=asc&page=2"]) {
      const viaApi = await counted(async () => {
        const r = await get(query);
        expect(r.status).toBe(200);
        return (await r.json()) as { items: unknown[] };
      });
      const verbOnly = await counted(() => listMyRequests(ctx, listMyRequestsSchema.parse(Object.fromEntries(new URLSearchParams(query)))));
      // The page with its project, offering, template and decider, and the capped count.
      expect(verbOnly.sent, query).toHaveLength(1);
      expect(viaApi.sent, query).toHaveLength(2);
    }
    const page = await listMyRequests(ctx, listMyRequestsSchema.parse({}));
    expect(page.items).toHaveLength(3);
    expect(page.items.some((r) => r.decidedBy?.id === decider.id && r.template.id === template.id && r.project.id === project.id)).toBe(true);
  });

  it("a refused token still answers 401 without counting a hit", async () => {
    const r = await machinesRoute.GET(new Request("http://localhost/api/v1/machines", { headers: { authorization: "Bearer orq_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" } }), { params: Promise.resolve({}) });
    expect(r.status).toBe(401);
  });
});

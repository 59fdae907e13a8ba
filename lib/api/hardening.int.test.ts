// Regression tests of the API hardening (issue #8): inputs that answered 500 or were
// silently ignored, 405s, rate limits, locked users' tokens, and Idempotency-Key results
// that commit with the change.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { ctxFor, makeUser } from "../../test/factories";
import { apiCall } from "../../test/api-client";
import { makeWorld, uniqueName } from "../requests/testing";
import { createApiToken } from "../apitokens/create-api-token";
import { apiHandler, apiRuntime } from "./handler";
import { submitRequestOp } from "./operations";
import * as R from "./responses";

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
  apiRuntime.db = () => tdb.db;
  apiRuntime.sessionId = async () => null;
});
afterAll(() => tdb?.drop());
beforeEach(() => {
  apiRuntime.rateLimit = () => ({ limit: 10_000, windowMs: 60_000 });
});

const tokenFor = async (userId: string) => (await createApiToken(await ctxFor(tdb.db, userId), { name: `t-${uniqueName()}` })).secret;
const fields = (json: unknown) => (json as { error: { details: { fields: Record<string, string[]> } } }).error.details.fields;

describe("inputs that used to answer 500 or be ignored now answer 400 with field details", () => {
  it("audit cursors beyond the date range or the event id range", async () => {
    const admin = await makeUser(tdb.db, { role: "ADMIN" });
    const token = await tokenFor(admin.id);
    for (const q of ["after=1.9999999999999999999", "before=999999999999999.1", "after=253402300800000.1", "after=x", "from=2026-02-30", "limit=0", "limit=201", "limit=1e2", "nope=1"]) {
      const r = await apiCall("GET", `/audit-events?${q}`, { token });
      expect(r.status, q).toBe(400);
      expect(Object.keys(fields(r.json)).length, q).toBeGreaterThan(0);
    }
    expect((await apiCall("GET", "/audit-events?after=253402300799999.9223372036854775807", { token })).status).toBe(200);
  });

  it("operation cursors that are not <ms>.<uuid> within range", async () => {
    const w = await makeWorld(tdb.db);
    const token = await tokenFor(w.member.id);
    const id = "3f6c1c1e-8a51-4c3e-9d6b-0c5a7b2e9f10";
    for (const cursor of [`0.${"0".repeat(36)}`, `999999999999999.${id}`, "1.not-a-uuid", "", "1"]) {
      const r = await apiCall("GET", `/machines/${id}/operations?cursor=${encodeURIComponent(cursor)}`, { token });
      // Validation comes before the lookup: 400, never 500.
      expect(r.status, cursor).toBe(400);
      expect(fields(r.json)).toHaveProperty("cursor");
    }
  });

  it("unknown enum values, empty ids, pages past the maximum, unknown and repeated parameters", async () => {
    const w = await makeWorld(tdb.db);
    const token = await tokenFor(w.member.id);
    const cases: [string, string][] = [
      ["/machines?state=AAA", "state"],
      ["/machines?projectId=", "projectId"],
      ["/machines?projectId=nope", "projectId"],
      ["/machines?page=100001", "page"],
      ["/machines?page=0", "page"],
      ["/machines?page=1.5", "page"],
      ["/machines?stat=RUNNING", "stat"],
      ["/machines?page=1&page=2", "page"],
      ["/requests?status=DONE", "status"],
      ["/offerings?tier=NVME", "tier"],
      ["/offerings?minVcpu=-1", "minVcpu"],
      ["/projects?includeArchived=yes", "includeArchived"],
      ["/approvals?page=abc", "page"],
    ];
    for (const [target, field] of cases) {
      const r = await apiCall("GET", target, { token });
      expect(r.status, target).toBe(400);
      expect(fields(r.json), target).toHaveProperty(field);
    }
    expect((await apiCall("GET", "/machines?state=RUNNING&page=100000", { token })).status).toBe(200);
  });
});

describe("methods", () => {
  it("answers 405 with Allow and the JSON error for every unsupported method; OPTIONS lists them", async () => {
    const w = await makeWorld(tdb.db);
    const token = await tokenFor(w.member.id);
    const put = await apiCall("PUT", "/machines", { token });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect(R.errorResponse.parse(put.json).error.code).toBe("METHOD_NOT_ALLOWED");
    const del = await apiCall("DELETE", "/requests", { token });
    expect(del.headers.get("allow")).toBe("GET, HEAD, POST, OPTIONS");
    const options = await apiCall("OPTIONS", "/requests");
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toBe("GET, HEAD, POST, OPTIONS");
  });
});

describe("rate limits", () => {
  it("answers 429 with Retry-After past a token's limit; other tokens are not affected", async () => {
    apiRuntime.rateLimit = () => ({ limit: 3, windowMs: 60_000 });
    const w = await makeWorld(tdb.db);
    const [a, b] = [await tokenFor(w.member.id), await tokenFor(w.member.id)];
    for (let i = 0; i < 3; i++) {
      const r = await apiCall("GET", "/offerings", { token: a });
      expect(r.status).toBe(200);
      expect(r.headers.get("ratelimit-remaining")).toBe(String(2 - i));
    }
    const limited = await apiCall("GET", "/offerings", { token: a });
    expect(limited.status).toBe(429);
    expect(R.errorResponse.parse(limited.json).error.code).toBe("RATE_LIMITED");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await apiCall("GET", "/offerings", { token: b })).status).toBe(200);
    // The window passes.
    const later = new Date(Date.now() + 61_000);
    apiRuntime.now = () => later;
    try {
      expect((await apiCall("GET", "/offerings", { token: a })).status).toBe(200);
    } finally {
      apiRuntime.now = () => new Date();
    }
  });
});

describe("users who may not act", () => {
  it("refuses the tokens of a locked user while the lock lasts", async () => {
    const u = await makeUser(tdb.db);
    const token = await tokenFor(u.id);
    expect((await apiCall("GET", "/offerings", { token })).status).toBe(200);
    await tdb.db.user.update({ where: { id: u.id }, data: { lockedUntil: new Date(Date.now() + 600_000) } });
    expect((await apiCall("GET", "/offerings", { token })).status).toBe(401);
    await tdb.db.user.update({ where: { id: u.id }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    expect((await apiCall("GET", "/offerings", { token })).status).toBe(200);
  });
});

describe("Idempotency-Key results commit with the change", () => {
  const submit = (w: Awaited<ReturnType<typeof makeWorld>>, name: string) => ({
    projectId: w.project.id,
    offeringId: w.offering.id,
    templateId: w.template.id,
    quantity: 1,
    name,
  });

  it("a crash after the change but before the answer is stored leaves neither, so the retry runs exactly once", async () => {
    const w = await makeWorld(tdb.db);
    const token = await tokenFor(w.member.id);
    const body = submit(w, uniqueName("idem"));
    const key = `k-${uniqueName()}`;
    // The same operation, dying after the verb made its change and before the response is recorded.
    const crashing = apiHandler({
      ...submitRequestOp,
      present: () => {
        throw new Error("process killed");
      },
    });
    const req = () =>
      new Request("http://localhost/api/v1/requests", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": key },
        body: JSON.stringify(body),
      });
    expect((await crashing(req())).status).toBe(500);
    expect(await tdb.db.request.count({ where: { requesterId: w.member.id } })).toBe(0);
    expect(await tdb.db.apiIdempotency.count({ where: { actorId: w.member.id } })).toBe(0);

    const first = await apiCall("POST", "/requests", { token, body, headers: { "idempotency-key": key } });
    expect(first.status).toBe(201);
    const again = await apiCall("POST", "/requests", { token, body, headers: { "idempotency-key": key } });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.json).toEqual(first.json);
    expect(await tdb.db.request.count({ where: { requesterId: w.member.id } })).toBe(1);
  });

  it("two concurrent requests with one key run once: the second waits and replays", async () => {
    const w = await makeWorld(tdb.db);
    const token = await tokenFor(w.member.id);
    const body = submit(w, uniqueName("idem"));
    const key = `k-${uniqueName()}`;
    const [a, b] = await Promise.all([0, 1].map(() => apiCall("POST", "/requests", { token, body, headers: { "idempotency-key": key } })));
    expect([a.status, b.status]).toEqual([201, 201]);
    expect([a.headers.get("idempotent-replayed"), b.headers.get("idempotent-replayed")].sort()).toEqual([null, "true"]);
    expect(await tdb.db.request.count({ where: { requesterId: w.member.id } })).toBe(1);
  });

  it("refuses keys with spaces or control characters", async () => {
    const w = await makeWorld(tdb.db);
    const token = await tokenFor(w.member.id);
    for (const key of ["has space", "tab\tkey", "é"]) {
      const r = await apiCall("POST", "/requests", { token, body: submit(w, uniqueName()), headers: { "idempotency-key": key } });
      expect(r.status, key).toBe(400);
    }
  });
});

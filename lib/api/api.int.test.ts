// The REST API end to end at the route-handler level: real route modules, real PostgreSQL,
// requests built with `new Request(...)`. Only the session lookup is replaced (there is no
// Auth.js cookie outside Next); token authentication runs for real.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import SwaggerParser from "@apidevtools/swagger-parser";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeUser } from "../../test/factories";
import { makeWorld, rowCounts, uniqueName } from "../requests/testing";
import { createApiToken } from "../apitokens/create-api-token";
import { revokeApiToken } from "../apitokens/revoke-api-token";
import { createSession } from "../auth/sessions";
import { apiRuntime, MAX_BODY_BYTES } from "./handler";
import { API_OPERATIONS } from "./operations";
import { buildOpenApiDocument } from "./openapi";
import { routeFileFor, routeFileSource } from "./route-files";
import * as R from "./responses";
import * as offeringsRoute from "../../app/api/v1/offerings/route";
import * as templatesRoute from "../../app/api/v1/templates/route";
import * as projectsRoute from "../../app/api/v1/projects/route";
import * as requestsRoute from "../../app/api/v1/requests/route";
import * as cancelRoute from "../../app/api/v1/requests/[requestId]/cancel/route";
import * as approveRoute from "../../app/api/v1/requests/[requestId]/approve/route";
import * as rejectRoute from "../../app/api/v1/requests/[requestId]/reject/route";
import * as approvalsRoute from "../../app/api/v1/approvals/route";
import * as machinesRoute from "../../app/api/v1/machines/route";
import * as machineRoute from "../../app/api/v1/machines/[machineId]/route";
import * as operationsRoute from "../../app/api/v1/machines/[machineId]/operations/route";
import * as startRoute from "../../app/api/v1/machines/[machineId]/start/route";
import * as deleteRoute from "../../app/api/v1/machines/[machineId]/delete/route";
import * as auditRoute from "../../app/api/v1/audit-events/route";
import * as openapiRoute from "../../app/api/v1/openapi.json/route";

type Handler = (req: Request, ctx?: { params: Promise<Record<string, string>> }) => Promise<Response>;

let tdb: TestDatabase;
let sessionUserId: string | null = null;

beforeAll(async () => {
  tdb = await createTestDatabase();
  apiRuntime.db = () => tdb.db;
  apiRuntime.sessionId = async () => (sessionUserId ? createSession(tdb.db, { userId: sessionUserId, now: new Date() }) : null);
});
afterAll(async () => {
  await tdb?.drop();
});
beforeEach(() => {
  sessionUserId = null;
  apiRuntime.now = () => new Date();
});

interface CallOpts {
  token?: string;
  body?: unknown;
  /** Sent as is (not JSON-encoded). */
  rawBody?: string;
  headers?: Record<string, string>;
  params?: Record<string, string>;
  query?: Record<string, string>;
}

async function call(handler: Handler, method: "GET" | "POST", urlPath: string, o: CallOpts = {}) {
  const url = new URL(`http://localhost/api/v1${urlPath}`);
  for (const [k, v] of Object.entries(o.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}) };
  if (o.body !== undefined) headers["content-type"] = "application/json";
  Object.assign(headers, o.headers);
  const body = o.rawBody ?? (o.body !== undefined ? JSON.stringify(o.body) : undefined);
  const res = await handler(new Request(url, { method, headers, body }), { params: Promise.resolve(o.params ?? {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
}

function expectError(r: { status: number; json: unknown }, status: number, code: string) {
  expect(r.status, JSON.stringify(r.json)).toBe(status);
  const parsed = R.errorResponse.parse(r.json);
  expect(parsed.error.code).toBe(code);
  expect(parsed.error.message.length).toBeGreaterThan(0);
  return parsed.error;
}

async function tokenFor(userId: string, expiresOn?: string) {
  return createApiToken(await ctxFor(tdb.db, userId), { name: `t-${uniqueName()}`, expiresOn });
}

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

function submitBody(w: Awaited<ReturnType<typeof makeWorld>>, extra: Record<string, unknown> = {}) {
  return { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 1, name: uniqueName("api"), ...extra };
}

describe("authentication", () => {
  it("accepts a bearer token and records when it was last used, at most once a minute", async () => {
    const w = await makeWorld(tdb.db);
    const tok = await tokenFor(w.member.id);
    const r = await call(offeringsRoute.GET, "GET", "/offerings", { token: tok.secret });
    expect(r.status).toBe(200);
    const body = R.offeringList.parse(r.json);
    expect(body.items.map((o) => o.id)).toContain(w.offering.id);
    expect(r.headers.get("cache-control")).toBe("no-store");

    const first = (await tdb.db.apiToken.findUniqueOrThrow({ where: { id: tok.id } })).lastUsedAt;
    expect(first).not.toBeNull();
    await call(offeringsRoute.GET, "GET", "/offerings", { token: tok.secret });
    expect((await tdb.db.apiToken.findUniqueOrThrow({ where: { id: tok.id } })).lastUsedAt).toEqual(first);

    const later = new Date(Date.now() + 2 * 60_000);
    apiRuntime.now = () => later;
    await call(offeringsRoute.GET, "GET", "/offerings", { token: tok.secret });
    expect((await tdb.db.apiToken.findUniqueOrThrow({ where: { id: tok.id } })).lastUsedAt).toEqual(later);
  });

  it("refuses revoked, expired, unknown and malformed tokens with 401", async () => {
    const user = await makeUser(tdb.db);
    const revoked = await tokenFor(user.id);
    await revokeApiToken(await ctxFor(tdb.db, user.id), { tokenId: revoked.id });
    const expired = await tokenFor(user.id, inDays(3));
    await tdb.db.apiToken.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const unknown = `orq_deadbeef_${"A".repeat(43)}`;

    for (const token of [revoked.secret, expired.secret, unknown, "garbage", revoked.secret.slice(0, -1)]) {
      const r = await call(offeringsRoute.GET, "GET", "/offerings", { token });
      expectError(r, 401, "UNAUTHENTICATED");
      expect(r.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
    expectError(await call(offeringsRoute.GET, "GET", "/offerings", { headers: { authorization: "Basic dXNlcjpwdw==" } }), 401, "UNAUTHENTICATED");
    // No header and no session.
    expectError(await call(offeringsRoute.GET, "GET", "/offerings"), 401, "UNAUTHENTICATED");
  });

  it("stops a disabled user's token", async () => {
    const user = await makeUser(tdb.db);
    const tok = await tokenFor(user.id);
    expect((await call(offeringsRoute.GET, "GET", "/offerings", { token: tok.secret })).status).toBe(200);
    await tdb.db.user.update({ where: { id: user.id }, data: { disabled: true } });
    expectError(await call(offeringsRoute.GET, "GET", "/offerings", { token: tok.secret }), 401, "UNAUTHENTICATED");
  });

  it("accepts the session cookie, but not for cross-site changes", async () => {
    const w = await makeWorld(tdb.db);
    sessionUserId = w.member.id;
    const list = await call(projectsRoute.GET, "GET", "/projects");
    expect(list.status).toBe(200);
    const projects = R.projectList.parse(list.json);
    expect(projects.items).toEqual([expect.objectContaining({ id: w.project.id, role: "MEMBER" })]);

    const before = await rowCounts(tdb.db);
    const cross = await call(requestsRoute.POST, "POST", "/requests", { body: submitBody(w), headers: { origin: "https://evil.example", host: "localhost" } });
    expectError(cross, 403, "FORBIDDEN");
    expect(await rowCounts(tdb.db)).toEqual(before);

    const same = await call(requestsRoute.POST, "POST", "/requests", { body: submitBody(w), headers: { origin: "http://localhost", host: "localhost" } });
    expect(same.status).toBe(201);
  });
});

describe("requests and approvals", () => {
  it("submits, lists and cancels a request", async () => {
    const w = await makeWorld(tdb.db);
    const tok = await tokenFor(w.member.id);
    const created = await call(requestsRoute.POST, "POST", "/requests", { token: tok.secret, body: submitBody(w) });
    expect(created.status).toBe(201);
    const req = R.submittedRequest.parse(created.json);
    expect(req.status).toBe("PENDING_APPROVAL");

    const list = await call(requestsRoute.GET, "GET", "/requests", { token: tok.secret, query: { status: "PENDING_APPROVAL" } });
    expect(R.requestList.parse(list.json).items.map((i) => i.id)).toEqual([req.id]);

    const cancelled = await call(cancelRoute.POST, "POST", `/requests/${req.id}/cancel`, { token: tok.secret, params: { requestId: req.id } });
    expect(cancelled.status).toBe(200);
    expect(R.requestRef.parse(cancelled.json)).toEqual({ requestId: req.id });
    expect((await tdb.db.request.findUniqueOrThrow({ where: { id: req.id } })).status).toBe("CANCELLED");
    // Twice is a conflict, in the error shape.
    expectError(await call(cancelRoute.POST, "POST", `/requests/${req.id}/cancel`, { token: tok.secret, params: { requestId: req.id } }), 409, "CONFLICT");
  });

  it("lets an approver approve, but answers 403 to a member", async () => {
    const w = await makeWorld(tdb.db);
    const other = await makeUser(tdb.db);
    await addMember(tdb.db, w.project.id, other.id, "MEMBER");
    const [memberTok, otherTok, approverTok] = await Promise.all([tokenFor(w.member.id), tokenFor(other.id), tokenFor(w.approver.id)]);
    const created = R.submittedRequest.parse((await call(requestsRoute.POST, "POST", "/requests", { token: memberTok.secret, body: submitBody(w) })).json);

    const before = await rowCounts(tdb.db);
    const denied = await call(approveRoute.POST, "POST", `/requests/${created.id}/approve`, { token: otherTok.secret, params: { requestId: created.id } });
    expectError(denied, 403, "FORBIDDEN");
    expect(await rowCounts(tdb.db)).toEqual(before);

    const pending = await call(approvalsRoute.GET, "GET", "/approvals", { token: approverTok.secret });
    expect(R.approvalList.parse(pending.json).items.map((i) => i.id)).toContain(created.id);

    const ok = await call(approveRoute.POST, "POST", `/requests/${created.id}/approve`, { token: approverTok.secret, params: { requestId: created.id } });
    expect(ok.status).toBe(200);
    const result = R.approvalResult.parse(ok.json);
    expect(result.machineIds).toHaveLength(1);
    expect((await tdb.db.request.findUniqueOrThrow({ where: { id: created.id } })).status).toBe("APPROVED");
  });

  it("rejects with a reason, and reports a missing reason as a field error", async () => {
    const w = await makeWorld(tdb.db);
    const [memberTok, approverTok] = await Promise.all([tokenFor(w.member.id), tokenFor(w.approver.id)]);
    const created = R.submittedRequest.parse((await call(requestsRoute.POST, "POST", "/requests", { token: memberTok.secret, body: submitBody(w) })).json);
    const bad = await call(rejectRoute.POST, "POST", `/requests/${created.id}/reject`, { token: approverTok.secret, params: { requestId: created.id }, body: { reason: "  " } });
    const err = expectError(bad, 400, "VALIDATION");
    expect(err.details).toMatchObject({ fields: { reason: ["Give a reason for the rejection."] }, fieldKeys: { reason: ["approvals.errors.reasonRequired"] } });
    const ok = await call(rejectRoute.POST, "POST", `/requests/${created.id}/reject`, { token: approverTok.secret, params: { requestId: created.id }, body: { reason: "Use the shared cluster" } });
    expect(ok.status).toBe(200);
    expect(await tdb.db.request.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ status: "REJECTED", decisionReason: "Use the shared cluster" });
  });

  it("answers 404 for ids in projects the caller cannot see, and for malformed ids", async () => {
    const w = await makeWorld(tdb.db);
    const outsider = await makeUser(tdb.db);
    const [memberTok, outsiderTok] = await Promise.all([tokenFor(w.member.id), tokenFor(outsider.id)]);
    const created = R.submittedRequest.parse((await call(requestsRoute.POST, "POST", "/requests", { token: memberTok.secret, body: submitBody(w) })).json);

    expectError(await call(cancelRoute.POST, "POST", `/requests/${created.id}/cancel`, { token: outsiderTok.secret, params: { requestId: created.id } }), 404, "NOT_FOUND");
    expectError(await call(approveRoute.POST, "POST", `/requests/${created.id}/approve`, { token: outsiderTok.secret, params: { requestId: created.id } }), 404, "NOT_FOUND");
    expectError(await call(cancelRoute.POST, "POST", "/requests/not-a-uuid/cancel", { token: memberTok.secret, params: { requestId: "not-a-uuid" } }), 404, "NOT_FOUND");
    // Submitting into someone else's project.
    expectError(await call(requestsRoute.POST, "POST", "/requests", { token: outsiderTok.secret, body: submitBody(w) }), 404, "NOT_FOUND");
    expect((await tdb.db.request.findUniqueOrThrow({ where: { id: created.id } })).status).toBe("PENDING_APPROVAL");
  });
});

describe("bodies and validation", () => {
  it("answers 400 with field details in English and the message keys, writing nothing", async () => {
    const w = await makeWorld(tdb.db);
    const tok = await tokenFor(w.member.id);
    const before = await rowCounts(tdb.db);
    const r = await call(requestsRoute.POST, "POST", "/requests", { token: tok.secret, body: submitBody(w, { quantity: 0, name: "Bad_Name", projectId: "nope" }) });
    const err = expectError(r, 400, "VALIDATION");
    const details = err.details as { fields: Record<string, string[]>; fieldKeys: Record<string, string[]> };
    expect(details.fields.quantity).toEqual(["Enter a whole number from 1 to 20."]);
    expect(details.fieldKeys.quantity).toEqual(["requests.errors.quantityRange"]);
    expect(details.fields.name).toEqual(["Use only lowercase letters, digits and hyphens, not starting or ending with a hyphen."]);
    expect(details.fields.projectId).toEqual(["Choose a project."]);
    expect(await rowCounts(tdb.db)).toEqual(before);
  });

  it("refuses malformed JSON, non-JSON bodies and non-object bodies with 400", async () => {
    const w = await makeWorld(tdb.db);
    const tok = await tokenFor(w.member.id);
    const before = await rowCounts(tdb.db);
    const h = { "content-type": "application/json" };
    expectError(await call(requestsRoute.POST, "POST", "/requests", { token: tok.secret, rawBody: '{"projectId": ', headers: h }), 400, "VALIDATION");
    expectError(await call(requestsRoute.POST, "POST", "/requests", { token: tok.secret, rawBody: "[1,2]", headers: h }), 400, "VALIDATION");
    const form = await call(requestsRoute.POST, "POST", "/requests", { token: tok.secret, rawBody: "projectId=x", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(expectError(form, 400, "VALIDATION").message).toMatch(/JSON/);
    expect(await rowCounts(tdb.db)).toEqual(before);
  });

  it("refuses bodies over 64 KiB with 413, whether or not Content-Length says so", async () => {
    const w = await makeWorld(tdb.db);
    const tok = await tokenFor(w.member.id);
    const big = JSON.stringify(submitBody(w, { justification: "x".repeat(MAX_BODY_BYTES) }));
    const chunked = await call(requestsRoute.POST, "POST", "/requests", { token: tok.secret, rawBody: big, headers: { "content-type": "application/json" } });
    expect(expectError(chunked, 413, "PAYLOAD_TOO_LARGE").details).toMatchObject({ limitBytes: MAX_BODY_BYTES });
    const declared = await call(requestsRoute.POST, "POST", "/requests", {
      token: tok.secret,
      rawBody: big,
      headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(big)) },
    });
    expectError(declared, 413, "PAYLOAD_TOO_LARGE");
    expect(await tdb.db.request.count({ where: { requesterId: w.member.id } })).toBe(0);
  });
});

describe("Idempotency-Key", () => {
  it("replays the first response for a retry and creates one request", async () => {
    const w = await makeWorld(tdb.db);
    const tok = await tokenFor(w.member.id);
    const body = submitBody(w);
    const key = `k-${uniqueName()}`;
    const first = await call(requestsRoute.POST, "POST", "/requests", { token: tok.secret, body, headers: { "idempotency-key": key } });
    const second = await call(requestsRoute.POST, "POST", "/requests", { token: tok.secret, body, headers: { "idempotency-key": key } });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.json).toEqual(first.json);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await tdb.db.request.count({ where: { requesterId: w.member.id } })).toBe(1);

    // Same key, different request: conflict, nothing written.
    const other = await call(requestsRoute.POST, "POST", "/requests", { token: tok.secret, body: { ...body, name: uniqueName("other") }, headers: { "idempotency-key": key } });
    expect(expectError(other, 409, "CONFLICT").details).toMatchObject({ reason: "IDEMPOTENCY_KEY_REUSED" });
    expect(await tdb.db.request.count({ where: { requesterId: w.member.id } })).toBe(1);
  });

  it("keeps no record of a failed request, so it can be retried with the same key", async () => {
    const w = await makeWorld(tdb.db, { project: { quotaMachines: 0 } });
    const tok = await tokenFor(w.member.id);
    const key = `k-${uniqueName()}`;
    const body = submitBody(w);
    expectError(await call(requestsRoute.POST, "POST", "/requests", { token: tok.secret, body, headers: { "idempotency-key": key } }), 422, "QUOTA_EXCEEDED");
    expect(await tdb.db.apiIdempotency.count({ where: { actorId: w.member.id } })).toBe(0);
    await tdb.db.project.update({ where: { id: w.project.id }, data: { quotaMachines: 5 } });
    expect((await call(requestsRoute.POST, "POST", "/requests", { token: tok.secret, body, headers: { "idempotency-key": key } })).status).toBe(201);
  });

  it("rejects an unusable key", async () => {
    const w = await makeWorld(tdb.db);
    const tok = await tokenFor(w.member.id);
    const r = await call(requestsRoute.POST, "POST", "/requests", { token: tok.secret, body: submitBody(w), headers: { "idempotency-key": "x".repeat(300) } });
    expectError(r, 400, "VALIDATION");
    expect(await tdb.db.request.count({ where: { requesterId: w.member.id } })).toBe(0);
  });
});

describe("machines", () => {
  async function worldWithMachine() {
    const w = await makeWorld(tdb.db);
    const [memberTok, approverTok] = await Promise.all([tokenFor(w.member.id), tokenFor(w.approver.id)]);
    const created = R.submittedRequest.parse((await call(requestsRoute.POST, "POST", "/requests", { token: memberTok.secret, body: submitBody(w) })).json);
    const approved = R.approvalResult.parse(
      (await call(approveRoute.POST, "POST", `/requests/${created.id}/approve`, { token: approverTok.secret, params: { requestId: created.id } })).json,
    );
    const machineId = approved.machineIds[0];
    // As if the worker had provisioned and then stopped it.
    await tdb.db.machine.update({ where: { id: machineId }, data: { state: "STOPPED" } });
    await tdb.db.operation.updateMany({ where: { machineId }, data: { status: "SUCCEEDED", finishedAt: new Date() } });
    return { w, memberTok, machineId };
  }

  it("lists, reads and starts a machine; pages through its operations", async () => {
    const { memberTok, machineId } = await worldWithMachine();
    const list = R.machineList.parse((await call(machinesRoute.GET, "GET", "/machines", { token: memberTok.secret })).json);
    expect(list.items.map((m) => m.id)).toEqual([machineId]);
    expect(list).toMatchObject({ total: 1, totalCapped: false, nextCursor: null });
    // A cursor that this list did not make is a validation error, not a silent first page.
    const bad = await call(machinesRoute.GET, "GET", "/machines?cursor=not-a-cursor", { token: memberTok.secret });
    expect(bad.status).toBe(400);

    const detail = await call(machineRoute.GET, "GET", `/machines/${machineId}`, { token: memberTok.secret, params: { machineId } });
    expect(detail.status).toBe(200);
    expect(R.machineDetail.parse(detail.json)).toMatchObject({ id: machineId, state: "STOPPED", canOperate: true });

    const started = await call(startRoute.POST, "POST", `/machines/${machineId}/start`, { token: memberTok.secret, params: { machineId } });
    expect(started.status).toBe(202);
    expect(R.operationRequested.parse(started.json)).toMatchObject({ machineId, state: "STARTING" });
    // Starting a machine that is starting is a conflict.
    expectError(await call(startRoute.POST, "POST", `/machines/${machineId}/start`, { token: memberTok.secret, params: { machineId } }), 409, "CONFLICT");

    const page1 = R.operationList.parse(
      (await call(operationsRoute.GET, "GET", `/machines/${machineId}/operations`, { token: memberTok.secret, params: { machineId }, query: { limit: "1" } })).json,
    );
    expect(page1.items.map((o) => o.kind)).toEqual(["START"]);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = R.operationList.parse(
      (
        await call(operationsRoute.GET, "GET", `/machines/${machineId}/operations`, {
          token: memberTok.secret,
          params: { machineId },
          query: { limit: "1", cursor: page1.nextCursor! },
        })
      ).json,
    );
    expect(page2.items.map((o) => o.kind)).toEqual(["PROVISION"]);
    expect(page2.nextCursor).toBeNull();
    const badLimit = await call(operationsRoute.GET, "GET", `/machines/${machineId}/operations`, { token: memberTok.secret, params: { machineId }, query: { limit: "500" } });
    expect(expectError(badLimit, 400, "VALIDATION").details).toMatchObject({ fields: { limit: ["Enter a whole number from 1 to 100."] } });
  });

  it("hides machines of other projects (404) and checks the delete confirmation", async () => {
    const { memberTok, machineId } = await worldWithMachine();
    const outsider = await makeUser(tdb.db);
    const outsiderTok = await tokenFor(outsider.id);
    expectError(await call(machineRoute.GET, "GET", `/machines/${machineId}`, { token: outsiderTok.secret, params: { machineId } }), 404, "NOT_FOUND");
    expectError(await call(startRoute.POST, "POST", `/machines/${machineId}/start`, { token: outsiderTok.secret, params: { machineId } }), 404, "NOT_FOUND");
    expectError(await call(operationsRoute.GET, "GET", `/machines/${machineId}/operations`, { token: outsiderTok.secret, params: { machineId } }), 404, "NOT_FOUND");
    expect(R.machineList.parse((await call(machinesRoute.GET, "GET", "/machines", { token: outsiderTok.secret })).json).items).toEqual([]);

    const wrong = await call(deleteRoute.POST, "POST", `/machines/${machineId}/delete`, { token: memberTok.secret, params: { machineId }, body: { confirmName: "something-else" } });
    expect(expectError(wrong, 400, "VALIDATION").details).toMatchObject({ fields: { confirmName: [expect.stringMatching(/name/)] } });
    expect((await tdb.db.machine.findUniqueOrThrow({ where: { id: machineId } })).state).toBe("STOPPED");
  });
});

describe("catalogue, projects and audit", () => {
  it("lists active templates and the caller's projects only", async () => {
    const w = await makeWorld(tdb.db);
    const tok = await tokenFor(w.member.id);
    const templates = R.templateList.parse((await call(templatesRoute.GET, "GET", "/templates", { token: tok.secret })).json);
    expect(templates.items.map((t) => t.id)).toContain(w.template.id);
    expectError(await call(templatesRoute.GET, "GET", "/templates", { token: tok.secret, query: { osFamily: "BEOS" } }), 400, "VALIDATION");
    const projects = R.projectList.parse((await call(projectsRoute.GET, "GET", "/projects", { token: tok.secret })).json);
    expect(projects.items.map((p) => p.id)).toEqual([w.project.id]);
  });

  it("serves the audit log to administrators only", async () => {
    const admin = await makeUser(tdb.db, { role: "ADMIN" });
    const user = await makeUser(tdb.db);
    const [adminTok, userTok] = await Promise.all([tokenFor(admin.id), tokenFor(user.id)]);
    expectError(await call(auditRoute.GET, "GET", "/audit-events", { token: userTok.secret }), 403, "FORBIDDEN");
    const r = await call(auditRoute.GET, "GET", "/audit-events", { token: adminTok.secret, query: { action: "apitoken.create", limit: "200" } });
    expect(r.status).toBe(200);
    const events = R.auditEventList.parse(r.json).items;
    expect(events.map((e) => e.targetId)).toEqual(expect.arrayContaining([adminTok.id, userTok.id]));
    // The secret is never in the audit trail.
    expect(JSON.stringify(events)).not.toContain(adminTok.secret);
    const badLimit = await call(auditRoute.GET, "GET", "/audit-events", { token: adminTok.secret, query: { limit: "lots" } });
    expect(expectError(badLimit, 400, "VALIDATION").details).toMatchObject({ fields: { limit: expect.any(Array) } });
  });
});

describe("OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document with bearer security and the error schema", async () => {
    const res = await openapiRoute.GET(new Request("http://localhost/api/v1/openapi.json"), undefined as never);
    expect(res.status).toBe(200);
    const doc = await res.json();
    await SwaggerParser.validate(structuredClone(doc));
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.components.schemas.Error.properties.error.required).toEqual(expect.arrayContaining(["code", "message"]));
    expect(doc.paths["/requests"].post.requestBody.content["application/json"].schema.required).toEqual(
      expect.arrayContaining(["projectId", "offeringId", "templateId", "quantity"]),
    );
    expect(doc.paths["/machines/{machineId}/start"].post.responses["202"]).toBeDefined();
    expect(buildOpenApiDocument().paths).toEqual(doc.paths);
  });

  it("has a generated route file for every path, and no route file without operations", async () => {
    const root = path.join(process.cwd(), "app/api/v1");
    const paths = new Set(API_OPERATIONS.map((op) => op.path));
    for (const p of paths) {
      const file = routeFileFor(process.cwd(), p);
      expect(fs.existsSync(file), `${p}: ${file} (run scripts/gen-api-routes.ts)`).toBe(true);
      expect(fs.readFileSync(file, "utf8"), `${file} differs from what scripts/gen-api-routes.ts writes`).toBe(routeFileSource(p));
    }
    const files = fs.readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith("route.ts"));
    const expected = new Set([...paths].map((p) => path.relative(root, routeFileFor(process.cwd(), p))));
    const extra = files.filter((f) => !expected.has(f) && !f.startsWith("[...rest]") && !f.startsWith("openapi.json") && !f.startsWith("stacks/schema.json"));
    expect(extra).toEqual([]);
  });
});

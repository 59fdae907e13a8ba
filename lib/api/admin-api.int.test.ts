// Contract tests of the administration API: each resource through its route modules, with
// an administrator's token, the same effects as the portal's pages, and 403 for everyone
// else on every /admin operation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { ctxFor, makeUser } from "../../test/factories";
import { makeHost, makeMachine, makeProvider } from "../../test/machine-factories";
import { apiCall } from "../../test/api-client";
import { createApiToken } from "../apitokens/create-api-token";
import { createSession, isSessionLive } from "../auth/sessions";
import { apiRuntime } from "./handler";
import { API_OPERATIONS } from "./operations";
import * as A from "./admin-responses";

let tdb: TestDatabase;
let admin = "";
let user = "";
let adminId = "";
beforeAll(async () => {
  tdb = await createTestDatabase();
  apiRuntime.db = () => tdb.db;
  apiRuntime.sessionId = async () => null;
  apiRuntime.rateLimit = () => ({ limit: 100_000, windowMs: 60_000 });
  const a = await makeUser(tdb.db, { role: "ADMIN" });
  adminId = a.id;
  admin = (await createApiToken(await ctxFor(tdb.db, a.id), { name: "admin" })).secret;
  user = (await createApiToken(await ctxFor(tdb.db, (await makeUser(tdb.db)).id), { name: "user" })).secret;
});
afterAll(() => tdb?.drop());

const call = (method: string, target: string, body?: unknown, token = admin) => apiCall(method, target, { token, body });

describe("administration API", () => {
  it("offerings: create, read, replace, deactivate, delete", async () => {
    const body = { name: `m-${Date.now()}`, description: "x", vcpu: 2, memoryGib: 4, diskGb: 40, diskTier: "SSD", monthlyPrice: "12.50" };
    const created = await call("POST", "/admin/offerings", body);
    expect(created.status).toBe(201);
    const o = A.adminOffering.parse(created.json);
    expect(o).toMatchObject({ vcpu: 2, memoryMb: 4096, monthlyPriceCents: 1250, active: true });
    expect(A.adminOfferingDetail.parse((await call("GET", `/admin/offerings/${o.id}`)).json).inUse).toBe(false);
    const replaced = await call("PUT", `/admin/offerings/${o.id}`, { ...body, vcpu: 4 });
    expect(A.adminOffering.parse(replaced.json).vcpu).toBe(4);
    expect(A.adminOffering.parse((await call("PUT", `/admin/offerings/${o.id}/active`, { active: false })).json).active).toBe(false);
    expect((await call("GET", "/admin/offerings")).json).toMatchObject({ items: expect.arrayContaining([expect.objectContaining({ id: o.id, active: false })]) });
    const bad = await call("POST", "/admin/offerings", { ...body, vcpu: 0 });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: { details: { fields: { vcpu: [expect.any(String)] }, fieldKeys: { vcpu: ["offerings.validation.vcpuRange"] } } } });
    expect((await call("DELETE", `/admin/offerings/${o.id}`)).json).toEqual({ outcome: "deleted" });
    expect((await call("GET", `/admin/offerings/${o.id}`)).status).toBe(404);
  });

  it("templates and their provider references", async () => {
    const provider = await makeProvider(tdb.db);
    const t = A.adminTemplate.parse(
      (await call("POST", "/admin/templates", { name: `t-${Date.now()}`, osFamily: "LINUX", osName: "Debian", osVersion: "12", description: "", minDiskGb: 10 })).json,
    );
    const refs = await call("PUT", `/admin/templates/${t.id}/provider-refs`, { refs: [{ providerId: provider.id, ref: "debian-12" }] });
    expect(refs.json).toEqual({ providerRefs: { [provider.id]: "debian-12" }, changed: true });
    const detail = A.adminTemplateDetail.parse((await call("GET", `/admin/templates/${t.id}`)).json);
    expect(detail.providers.find((p) => p.id === provider.id)?.ref).toBe("debian-12");
    expect((await call("PUT", `/admin/templates/${t.id}/active`, { active: false })).status).toBe(200);
  });

  it("projects, quotas and members", async () => {
    const member = await makeUser(tdb.db);
    const slug = `p-${Date.now()}`;
    const fields = {
      name: `Project ${slug}`,
      slug,
      description: "",
      quotaVcpu: 8,
      quotaMemoryGib: 16,
      quotaDiskSsdGb: 100,
      quotaDiskHddGb: 0,
      quotaMachines: 4,
      monthlyBudget: "",
      autoApproveBelow: "",
      maxLeaseDays: null,
      leaseGraceDays: 7,
      disabledActions: ["DELETE"],
    };
    const p = A.adminProject.parse((await call("POST", "/admin/projects", fields)).json);
    expect(p).toMatchObject({ quotaMemoryMb: 16384, disabledActions: ["DELETE"] });
    expect(A.adminProject.parse((await call("PUT", `/admin/projects/${p.id}`, { ...fields, quotaVcpu: 16 })).json).quotaVcpu).toBe(16);
    const added = await call("POST", `/admin/projects/${p.id}/members`, { email: member.email, role: "MEMBER" });
    expect(added.status).toBe(201);
    expect((await call("PUT", `/admin/projects/${p.id}/members/${member.id}`, { role: "APPROVER" })).json).toEqual({ projectId: p.id, userId: member.id, role: "APPROVER" });
    const detail = A.adminProjectDetail.parse((await call("GET", `/admin/projects/${p.id}`)).json);
    expect(detail.members.map((m) => [m.userId, m.role])).toEqual([[member.id, "APPROVER"]]);
    expect((await call("DELETE", `/admin/projects/${p.id}/members/${member.id}`)).status).toBe(200);
    expect(A.adminProject.parse((await call("PUT", `/admin/projects/${p.id}/archived`, { archived: true })).json).archived).toBe(true);
    expect((await call("DELETE", `/admin/projects/${p.id}`)).json).toEqual({ outcome: "deleted" });
  });

  it("providers: register a simulator, test it, discover its hosts, sync, disable; never return credentials", async () => {
    const created = await call("POST", "/admin/providers", {
      name: `sim-${Date.now()}`,
      kind: "SIMULATOR",
      endpoint: "",
      credentials: {},
      config: {},
      cpuOvercommit: 4,
      memoryOvercommit: 1,
      diskOvercommit: 1,
      placementPolicy: "SPREAD",
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const { id } = A.providerRef.parse(created.json);
    expect((await call("POST", `/admin/providers/${id}/test-connection`)).json).toMatchObject({ ok: true, status: "ACTIVE" });
    expect((await call("POST", `/admin/providers/${id}/discover-hosts`)).json).toMatchObject({ ok: true });
    expect((await call("POST", `/admin/providers/${id}/sync`)).json).toMatchObject({ providerId: id, ok: true });
    const detail = await call("GET", `/admin/providers/${id}`);
    expect(A.adminProviderDetail.parse(detail.json).id).toBe(id);
    expect(detail.text).not.toMatch(/credentialsEnc/);
    expect((await call("PUT", `/admin/providers/${id}/enabled`, { enabled: false })).json).toMatchObject({ status: "DISABLED" });
    expect(A.adminProviderList.parse((await call("GET", "/admin/providers")).json).items.map((p) => p.id)).toContain(id);
  });

  it("hosts and maintenance; simulator faults", async () => {
    const provider = await makeProvider(tdb.db);
    const host = await makeHost(tdb.db, provider.id);
    expect((await call("PUT", `/admin/hosts/${host.id}/maintenance`, { maintenance: true })).json).toEqual({ state: "MAINTENANCE", drainId: expect.any(String) });
    const hosts = A.hostList.parse((await call("GET", `/admin/hosts?providerId=${provider.id}&state=MAINTENANCE`)).json);
    expect(hosts.items.map((h) => h.id)).toEqual([host.id]);
    const fault = await call("POST", "/admin/simulator/faults", { providerId: provider.id, operation: "start", mode: "PERMANENT", message: "boom", remaining: 1 });
    expect(fault.status).toBe(201);
    const faultId = A.idRef.parse(fault.json).id;
    expect(JSON.stringify((await call("GET", "/admin/simulator/faults")).json)).toContain(faultId);
    expect((await call("DELETE", `/admin/simulator/faults/${faultId}`)).json).toEqual({ id: faultId });
  });

  it("users: list, disable (ends sessions, stops tokens), revoke access, delete", async () => {
    const u = await makeUser(tdb.db);
    const sid = await createSession(tdb.db, { userId: u.id, now: new Date() });
    const token = (await createApiToken(await ctxFor(tdb.db, u.id), { name: "t" })).secret;
    expect(A.adminUserList.parse((await call("GET", `/admin/users?q=${encodeURIComponent(u.email)}`)).json).items.map((x) => x.id)).toEqual([u.id]);
    expect(A.adminUser.parse((await call("PUT", `/admin/users/${u.id}/disabled`, { disabled: true })).json).disabled).toBe(true);
    expect(await isSessionLive(tdb.db, sid, new Date())).toBe(false);
    expect((await call("GET", "/offerings", undefined, token)).status).toBe(401);
    await call("PUT", `/admin/users/${u.id}/disabled`, { disabled: false });
    expect((await call("GET", "/offerings", undefined, token)).status).toBe(200);
    expect((await call("POST", `/admin/users/${u.id}/revoke-access`, { sessions: true, tokens: true })).json).toEqual({ sessionsEnded: 0, tokensRevoked: 1 });
    expect((await call("GET", "/offerings", undefined, token)).status).toBe(401);
    const del = await call("DELETE", `/admin/users/${u.id}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe("");
    expect((await call("GET", `/admin/users/${u.id}`)).status).toBe(404);
    expect((await call("DELETE", `/admin/users/${adminId}`)).status).toBe(409);
  });

  it("lease extensions, notifications and tokens for their owners", async () => {
    const owner = await makeUser(tdb.db);
    const ownerToken = (await createApiToken(await ctxFor(tdb.db, owner.id), { name: "t" })).secret;
    const project = A.adminProject.parse(
      (
        await call("POST", "/admin/projects", {
          name: `Leases ${Date.now()}`,
          slug: `leases-${Date.now()}`,
          description: "",
          quotaVcpu: 8,
          quotaMemoryGib: 16,
          quotaDiskSsdGb: 100,
          quotaDiskHddGb: 0,
          quotaMachines: 4,
          monthlyBudget: "",
          autoApproveBelow: "",
          maxLeaseDays: 10,
          leaseGraceDays: 7,
          disabledActions: [],
        })
      ).json,
    );
    await call("POST", `/admin/projects/${project.id}/members`, { email: owner.email, role: "MEMBER" });
    const machine = await makeMachine(tdb.db, { projectId: project.id, ownerId: owner.id, state: "RUNNING" });
    await tdb.db.machine.update({ where: { id: machine.id }, data: { leaseEndsAt: new Date(Date.now() + 5 * 86_400_000) } });
    const far = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
    const asked = await call("POST", `/machines/${machine.id}/lease-extension`, { newEndDate: far, reason: "migration" }, ownerToken);
    expect(asked.status, JSON.stringify(asked.json)).toBe(200);
    const outcome = A.leaseExtensionOutcome.parse(asked.json);
    expect(outcome.applied).toBe(false);
    const pending = A.leaseExtensionList.parse((await call("GET", "/lease-extensions?status=PENDING")).json);
    const ext = pending.items.find((e) => e.machine.id === machine.id)!;
    expect(ext.canDecide).toBe(true);
    expect((await call("POST", `/lease-extensions/${ext.id}/approve`, { reason: "" })).json).toEqual({ status: "APPROVED" });

    const notes = A.notificationList.parse((await call("GET", "/notifications?limit=5", undefined, ownerToken)).json);
    if (notes.items[0]) expect((await call("POST", `/notifications/${notes.items[0].id}/read`, undefined, ownerToken)).json).toEqual({ ok: true });
    expect(A.markedAll.parse((await call("POST", "/notifications/read-all", undefined, ownerToken)).json).marked).toBeGreaterThanOrEqual(0);

    const created = A.tokenCreated.parse((await call("POST", "/tokens", { name: "from the API" }, ownerToken)).json);
    expect(created.secret).toMatch(/^orq_/);
    const list = A.tokenList.parse((await call("GET", "/tokens", undefined, ownerToken)).json);
    expect(JSON.stringify(list)).not.toContain(created.secret);
    expect((await call("DELETE", `/tokens/${created.id}`, undefined, ownerToken)).json).toEqual({ tokenId: created.id });
    expect((await call("GET", "/offerings", undefined, created.secret)).status).toBe(401);
  });

  it("refuses every /admin operation to non-administrators (403), and to no one (401)", async () => {
    const id = "3f6c1c1e-8a51-4c3e-9d6b-0c5a7b2e9f10";
    for (const op of API_OPERATIONS.filter((o) => o.path.startsWith("/admin/"))) {
      const target = op.path.replace(/\{\w+\}/g, id);
      const body = op.examples?.request ?? {};
      const r = await apiCall(op.method, target, { token: user, body: op.method === "GET" || op.method === "DELETE" ? undefined : body });
      expect([403, 400], `${op.method} ${op.path}: ${r.status} ${r.text}`).toContain(r.status);
      if (r.status === 400) expect(op.method).not.toBe("GET");
      expect((await apiCall(op.method, target)).status, `${op.method} ${op.path}`).toBe(401);
    }
  });
});

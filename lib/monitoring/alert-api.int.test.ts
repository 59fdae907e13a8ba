// The alert and utilisation operations of /api/v1 through their route modules: documented
// bodies, translated field errors (message keys of messages/<locale>/alerts.json), 403/404 for
// those who may not, 400 for a bad range.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { addMember, ctxFor, makeUser } from "@/test/factories";
import { makeMonitoredEstate } from "@/test/monitoring-estate";
import { apiCall } from "@/test/api-client";
import { createApiToken } from "../apitokens/create-api-token";
import { apiRuntime } from "../api/handler";
import * as R from "../api/monitoring-responses";

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
  apiRuntime.db = () => tdb.db;
  apiRuntime.sessionId = async () => null;
  apiRuntime.rateLimit = () => ({ limit: 100_000, windowMs: 60_000 });
});
afterAll(() => tdb?.drop());

const token = async (userId: string) => (await createApiToken(await ctxFor(tdb.db, userId), { name: "t" })).secret;

describe("alert and utilisation API", () => {
  it("create (bad threshold refused with its key), list, replace, history, delete; viewers 403, strangers 404", async () => {
    const e = await makeMonitoredEstate(tdb.db, { machines: 1 });
    const member = await token(e.owner.id);
    const viewerUser = await makeUser(tdb.db);
    await addMember(tdb.db, e.project.id, viewerUser.id, "VIEWER");
    const viewer = await token(viewerUser.id);
    const stranger = await token((await makeUser(tdb.db)).id);
    const body = { name: "cpu-hot", metric: "CPU_PERCENT", comparator: "ABOVE", threshold: 90, durationSeconds: 300 };
    const path = `/projects/${e.project.id}/alert-rules`;

    const bad = await apiCall("POST", path, { token: member, body: { ...body, threshold: 150 } });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: { code: "VALIDATION", details: { fields: { threshold: ["A percentage is at most 100."] }, fieldKeys: { threshold: ["alerts.validation.thresholdPercent"] } } } });
    expect((await apiCall("POST", path, { token: viewer, body })).status).toBe(403);
    expect((await apiCall("POST", path, { token: stranger, body })).status).toBe(404);

    const created = await apiCall("POST", path, { token: member, body });
    expect(created.status).toBe(201);
    const rule = R.alertRule.parse(created.json);
    expect(rule).toMatchObject({ machineId: null, notify: true, enabled: true });
    const listed = R.alertRuleList.parse((await apiCall("GET", path, { token: viewer })).json);
    expect(listed.items).toEqual([expect.objectContaining({ id: rule.id, firing: 0, lastFiredAt: null, machineName: null })]);

    const replaced = await apiCall("PUT", `/alert-rules/${rule.id}`, { token: member, body: { ...body, threshold: 80, machineId: e.machineIds[0], notify: false } });
    expect(R.alertRule.parse(replaced.json)).toMatchObject({ threshold: 80, machineId: e.machineIds[0], notify: false });
    const wrongScope = await apiCall("PUT", `/alert-rules/${rule.id}`, { token: member, body: { ...body, machineId: crypto.randomUUID() } });
    expect(wrongScope.json).toMatchObject({ error: { details: { fieldKeys: { machineId: ["alerts.validation.machineNotInProject"] } } } });
    expect((await apiCall("PUT", `/alert-rules/${rule.id}`, { token: viewer, body })).status).toBe(403);

    expect(R.alertEventList.parse((await apiCall("GET", `/projects/${e.project.id}/alerts`, { token: viewer })).json).items).toEqual([]);
    expect((await apiCall("DELETE", `/alert-rules/${rule.id}`, { token: member })).status).toBe(200);
    expect((await apiCall("DELETE", `/alert-rules/${rule.id}`, { token: member })).status).toBe(404);
  });

  it("utilisation: administrators only, a bad range refused, documented shape", async () => {
    const admin = await token((await makeUser(tdb.db, { role: "ADMIN" })).id);
    const user = await token((await makeUser(tdb.db)).id);
    expect((await apiCall("GET", "/admin/utilisation?range=1h", { token: user })).status).toBe(403);
    expect((await apiCall("GET", "/admin/utilisation?range=2h", { token: admin })).status).toBe(400);
    const ok = await apiCall("GET", "/admin/utilisation?range=7d", { token: admin });
    expect(ok.status).toBe(200);
    expect(R.utilisation.parse(ok.json)).toMatchObject({ range: "7d", resolution: "H1", stepSeconds: 3600 });
  });
});

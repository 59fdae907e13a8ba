// The cost operations over HTTP (the route modules, a token): the price comparison, the cost
// report and its CSV export, price books (create, version, import) and project cost settings.
// Responses are parsed with their documented schemas.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeOffering, makeProject, makeTemplate, makeUser } from "../../test/factories";
import { createApiToken } from "../apitokens/create-api-token";
import { uniqueName } from "../requests/testing";
import { apiRuntime } from "./handler";
import * as R from "./cost-responses";
import { errorResponse } from "./responses";
import * as comparisonRoute from "../../app/api/v1/price-comparison/route";
import * as costsRoute from "../../app/api/v1/costs/route";
import * as exportRoute from "../../app/api/v1/costs/export/route";
import * as runRoute from "../../app/api/v1/costs/run/route";
import * as booksRoute from "../../app/api/v1/price-books/route";
import * as bookRoute from "../../app/api/v1/price-books/[priceBookId]/route";
import * as versionsRoute from "../../app/api/v1/price-books/[priceBookId]/versions/route";
import * as importRoute from "../../app/api/v1/price-books/[priceBookId]/import/route";
import * as settingsRoute from "../../app/api/v1/projects/[projectId]/cost-settings/route";

type Handler = (req: Request, ctx?: { params: Promise<Record<string, string>> }) => Promise<Response>;

let tdb: TestDatabase;
const NOW = new Date("2026-03-10T12:00:00Z");

beforeAll(async () => {
  tdb = await createTestDatabase();
  apiRuntime.db = () => tdb.db;
  apiRuntime.sessionId = async () => null;
  apiRuntime.now = () => NOW;
});
afterAll(async () => {
  await tdb?.drop();
});

async function call(handler: Handler, method: "GET" | "POST", token: string, o: { body?: unknown; params?: Record<string, string>; query?: Record<string, string> } = {}) {
  const url = new URL("http://localhost/api/v1/x");
  for (const [k, v] of Object.entries(o.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (o.body !== undefined) headers["content-type"] = "application/json";
  const res = await handler(new Request(url, { method, headers, body: o.body !== undefined ? JSON.stringify(o.body) : undefined }), { params: Promise.resolve(o.params ?? {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: res.headers.get("content-type")?.includes("json") && text ? JSON.parse(text) : null };
}

const tokenFor = async (userId: string) => (await createApiToken(await ctxFor(tdb.db, userId), { name: `t-${uniqueName()}` })).secret;

describe("cost API", () => {
  it("administrators manage price books: create, add a version, import a file, read them back", async () => {
    const admin = await makeUser(tdb.db, { role: "ADMIN" });
    const user = await makeUser(tdb.db);
    const token = await tokenFor(admin.id);
    const provider = await tdb.db.provider.create({ data: { name: uniqueName("p"), kind: "DOCKER", endpoint: "x" } });

    expect(errorResponse.parse((await call(booksRoute.POST, "POST", await tokenFor(user.id), { body: { providerId: provider.id } })).json).error.code).toBe("FORBIDDEN");
    const created = await call(booksRoute.POST, "POST", token, { body: { providerId: provider.id } });
    expect(created.status).toBe(201);
    const { id } = R.priceBookRef.parse(created.json);
    expect((await call(booksRoute.POST, "POST", token, { body: { providerId: provider.id } })).status).toBe(409);

    const bad = await call(versionsRoute.POST, "POST", token, { params: { priceBookId: id }, body: { items: [{ kind: "VCPU", unit: "HOUR", amount: "abc" }] } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.fields["items.0.amount"][0]).toMatch(/Enter an amount/);
    const past = await call(versionsRoute.POST, "POST", token, { params: { priceBookId: id }, body: { effectiveFrom: "2026-03-01T00:00:00Z", items: [{ kind: "VCPU", unit: "HOUR", amount: "0.01" }] } });
    expect(past.json.error.details.fieldKeys.effectiveFrom).toEqual(["costs.errors.effectiveFromPast"]);

    const v1 = await call(versionsRoute.POST, "POST", token, {
      params: { priceBookId: id },
      body: { items: [{ kind: "VCPU", unit: "HOUR", amount: "0.01" }, { kind: "SSD_GB", unit: "MONTH", amount: "0.1" }] },
    });
    expect(v1.status).toBe(201);
    expect(R.priceVersionRef.parse(v1.json).effectiveFrom).toBe(NOW.toISOString());

    const csv = "kind,name,vcpu,memory_gib,unit,amount\ninstance,c.big,4,8,hour,0.2\nssd_gb,,,,month,0.09\n";
    const imported = await call(importRoute.POST, "POST", token, { params: { priceBookId: id }, body: { format: "csv", content: csv, fileName: "cloud.csv", effectiveFrom: "2026-04-01T00:00:00Z" } });
    expect(imported.status).toBe(201);
    const broken = await call(importRoute.POST, "POST", token, { params: { priceBookId: id }, body: { format: "csv", content: "kind,unit,amount\ncpu,hour,1\n" } });
    expect(broken.status).toBe(400);
    expect(broken.json.error.message).toContain('line 2: unknown kind "cpu"');

    const book = R.priceBookDetail.parse((await call(bookRoute.GET, "GET", token, { params: { priceBookId: id } })).json);
    expect(book.versions.map((v) => [v.status, v.source, v.items.length])).toEqual([
      ["SCHEDULED", "import:cloud.csv", 2],
      ["IN_FORCE", "form", 2],
    ]);
    expect(book.versions[0].items.find((i) => i.kind === "INSTANCE")).toMatchObject({ name: "c.big", vcpu: 4, memoryMb: 8192, unit: "HOUR", millicents: 20_000 });

    const list = R.priceBookList.parse((await call(booksRoute.GET, "GET", token)).json);
    expect(list.providers.find((p) => p.id === provider.id)).toMatchObject({ scope: "provider", book: { id, versions: 2, next: { effectiveFrom: "2026-04-01T00:00:00.000Z" } } });
    expect(await tdb.db.auditEvent.count({ where: { action: "price_book.add_version", targetId: id } })).toBe(2);
  });

  it("compares prices, reports costs and exports CSV for a project member; sets cost settings as an administrator", async () => {
    const admin = await makeUser(tdb.db, { role: "ADMIN" });
    const member = await makeUser(tdb.db);
    const project = await makeProject(tdb.db, { monthlyBudgetCents: 10_000 });
    await addMember(tdb.db, project.id, member.id, "MEMBER");
    const template = await makeTemplate(tdb.db);
    const offering = await makeOffering(tdb.db);
    const p = await tdb.db.provider.create({ data: { name: uniqueName("p"), kind: "LXD", endpoint: "x" } });
    await tdb.db.templateProviderRef.create({ data: { templateId: template.id, providerId: p.id, ref: "img" } });
    const token = await tokenFor(member.id);

    const c = await call(comparisonRoute.GET, "GET", token, { query: { offeringId: offering.id, templateId: template.id, quantity: "2", projectId: project.id } });
    expect(c.status).toBe(200);
    const body = R.priceComparison.parse(c.json);
    expect(body.quantity).toBe(2);
    expect(body.rows.map((r) => [r.providerId, r.unpriced, r.availability])).toEqual([[p.id, "NO_PRICE_BOOK", "NO_DISK_TIER"]]);
    expect((await call(comparisonRoute.GET, "GET", token, { query: { offeringId: offering.id, quantity: "99" } })).status).toBe(400);

    const report = R.costReport.parse((await call(costsRoute.GET, "GET", token, { query: { projectId: project.id, month: "2026-03", groupBy: "owner" } })).json);
    expect(report).toMatchObject({ month: "2026-03", isCurrentMonth: true, budgetCents: 10_000, total: { totalCents: 0 } });
    const csv = await call(exportRoute.GET, "GET", token, { query: { projectId: project.id, month: "2026-03" } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="orquestra-costs-.*-2026-03\.csv"$/);
    expect(csv.text.split("\r\n")[0]).toBe("date,project,provider,provider_kind,offering,owner,owner_email,powered_hours,compute,storage,total,currency");
    const other = await makeProject(tdb.db);
    expect((await call(costsRoute.GET, "GET", token, { query: { projectId: other.id } })).status).toBe(404);

    const adminToken = await tokenFor(admin.id);
    expect((await call(settingsRoute.POST, "POST", token, { params: { projectId: project.id }, body: { placementPolicy: "CHEAPEST", providerChoice: true, thresholds: [] } })).status).toBe(403);
    const badPolicy = await call(settingsRoute.POST, "POST", adminToken, { params: { projectId: project.id }, body: { placementPolicy: "FIXED", providerChoice: false, thresholds: [] } });
    expect(badPolicy.status).toBe(400);
    const saved = await call(settingsRoute.POST, "POST", adminToken, {
      params: { projectId: project.id },
      body: { placementPolicy: "PRIVATE_FIRST", providerChoice: true, thresholds: [{ percent: 80, basis: "ACTUAL" }, { percent: 100, basis: "FORECAST" }] },
    });
    expect(saved.status).toBe(200);
    R.projectCostSettingsSaved.parse(saved.json);
    const read = R.projectCostSettings.parse((await call(settingsRoute.GET, "GET", adminToken, { params: { projectId: project.id } })).json);
    expect(read).toMatchObject({ placementPolicy: "PRIVATE_FIRST", providerChoice: true, thresholds: [{ percent: 80, basis: "ACTUAL" }, { percent: 100, basis: "FORECAST" }] });

    expect((await call(runRoute.POST, "POST", token)).status).toBe(403);
    const run = await call(runRoute.POST, "POST", adminToken);
    expect(run.status).toBe(202);
    const jobs = await tdb.db.$queryRaw<{ n: bigint }[]>`select count(*) as n from graphile_worker.jobs where task_identifier = 'orq-costs'`;
    expect(Number(jobs[0].n)).toBe(1);
  });
});

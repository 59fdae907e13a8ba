// Property-based test of the whole /api/v1 surface, generated from the OpenAPI document:
// for every operation, requests built from its schemas (valid values, and garbage in every
// place a client can put it: path, query, body, headers), sent through the real route
// modules against a real database. Every answer must be below 500, have a status the
// document lists for the operation, and a body that matches the documented schema for that
// status. Every method a path does not document must answer 405 with the right Allow.
// Fixed seed and a bounded number of runs per operation (ORQ_FUZZ_RUNS, default 20), so
// `npm test` is deterministic and takes about a minute; a failure prints the seed and the
// shrunk counterexample.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeOffering, makeProject, makeTemplate, makeUser } from "../../test/factories";
import { makeHost, makeMachine, makeProvider } from "../../test/machine-factories";
import { apiCall, type ApiAnswer } from "../../test/api-client";
import { SchemaArbitraries, type JsonSchema } from "../../test/openapi-arbitrary";
import { createApiToken } from "../apitokens/create-api-token";
import { apiRuntime } from "./handler";
import { buildOpenApiDocument } from "./openapi";

const SEED = 20261202;
const RUNS = Number(process.env.ORQ_FUZZ_RUNS ?? 20);
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

const doc = buildOpenApiDocument();
const components = doc.components.schemas as Record<string, JsonSchema>;
const arbs = new SchemaArbitraries(components);
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ $id: "https://orquestra.invalid/openapi", components: doc.components }, "openapi");
const withRefs = (s: unknown) => JSON.parse(JSON.stringify(s).replaceAll('"#/components/', '"https://orquestra.invalid/openapi#/components/')) as JsonSchema;
const validators = new Map<string, ReturnType<typeof ajv.compile>>();
function validatorFor(key: string, schema: unknown) {
  if (!validators.has(key)) validators.set(key, ajv.compile(withRefs(schema)));
  return validators.get(key)!;
}

interface Op {
  path: string;
  method: string;
  operationId: string;
  parameters: JsonSchema[];
  requestBody?: { content: { "application/json": { schema: JsonSchema } } };
  responses: Record<string, { content?: { "application/json": { schema: JsonSchema } } }>;
}
const ops: Op[] = Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.entries(methods as Record<string, Omit<Op, "path" | "method">>).map(([method, op]) => ({ ...op, path, method: method.toUpperCase() })),
);

let tdb: TestDatabase;
let adminToken = "";
let memberToken = "";
/** Real ids per path parameter name, so valid requests reach the verbs (plus random ones). */
const pool: Record<string, string[]> = {};
const stats = { requests: 0, byStatus: {} as Record<number, number> };

beforeAll(async () => {
  tdb = await createTestDatabase();
  apiRuntime.db = () => tdb.db;
  apiRuntime.sessionId = async () => null;
  apiRuntime.rateLimit = () => ({ limit: 1_000_000, windowMs: 60_000 });
  const admin = await makeUser(tdb.db, { role: "ADMIN" });
  const member = await makeUser(tdb.db);
  const other = await makeUser(tdb.db);
  const project = await makeProject(tdb.db);
  await addMember(tdb.db, project.id, member.id, "MEMBER");
  await addMember(tdb.db, project.id, other.id, "APPROVER");
  const [offering, template, provider] = await Promise.all([makeOffering(tdb.db), makeTemplate(tdb.db), makeProvider(tdb.db)]);
  const host = await makeHost(tdb.db, provider.id);
  const machine = await makeMachine(tdb.db, { projectId: project.id, ownerId: member.id, state: "RUNNING" });
  const fault = await tdb.db.simFault.create({ data: { providerId: provider.id, operation: "start", mode: "TRANSIENT" } });
  const notification = await tdb.db.notification.create({ data: { userId: admin.id, kind: "operation.failed" } });
  adminToken = (await createApiToken(await ctxFor(tdb.db, admin.id), { name: "fuzz" })).secret;
  memberToken = (await createApiToken(await ctxFor(tdb.db, member.id), { name: "fuzz" })).secret;
  const spareToken = await createApiToken(await ctxFor(tdb.db, admin.id), { name: "spare" });
  Object.assign(pool, {
    // The fuzzing administrator's own id is left out: revoking its own tokens would end the run.
    userId: [other.id, member.id],
    projectId: [project.id],
    offeringId: [offering.id],
    templateId: [template.id],
    providerId: [provider.id],
    hostId: [host.id],
    machineId: [machine.id],
    faultId: [fault.id],
    notificationId: [notification.id],
    tokenId: [spareToken.id],
  });
}, 120_000);

afterAll(async () => {
  // The figures the report quotes: how many requests, which statuses.
  console.log(`OpenAPI fuzz: ${stats.requests} requests, seed ${SEED}, ${RUNS} runs per operation; statuses ${JSON.stringify(stats.byStatus)}`);
  await tdb?.drop();
});

const paramArb = (name: string) => (pool[name]?.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pool[name]) }, { weight: 1, arbitrary: fc.uuid() }) : fc.uuid());
const garbageParam = fc.oneof(fc.constant("not-a-uuid"), fc.constant("00000000-0000-0000-0000-000000000000"), fc.string({ minLength: 1, maxLength: 20, unit: "grapheme-ascii" }).filter((s) => !s.includes("/") && s !== "." && s !== ".."));

interface Built {
  target: string;
  body?: unknown;
  rawBody?: string;
  headers: Record<string, string>;
  token?: string;
}

function requestArb(op: Op, mode: "valid" | "invalid"): fc.Arbitrary<Built> {
  const pathParams = op.parameters.filter((p) => p.in === "path");
  const queryParams = op.parameters.filter((p) => p.in === "query");
  const bodySchema = op.requestBody?.content["application/json"].schema;
  const paramValues = fc.tuple(...pathParams.map((p) => (mode === "valid" ? paramArb(p.name as string) : fc.oneof(paramArb(p.name as string), garbageParam))));
  const query = fc.tuple(
    ...queryParams.map((p) =>
      fc.option(mode === "valid" ? arbs.valid(p.schema) : fc.oneof(arbs.valid(p.schema), arbs.invalid()), { nil: undefined, freq: 2 }).map((v) => [p.name as string, v] as const),
    ),
  );
  const extraQuery = mode === "invalid" ? fc.option(fc.constantFrom("unknown=1", "page=1&page=2", "%ZZ=1"), { nil: undefined }) : fc.constant(undefined);
  const body = bodySchema
    ? mode === "valid"
      ? arbs.valid(bodySchema)
      : fc.oneof(arbs.valid(bodySchema), arbs.invalid(), arbs.valid(bodySchema).chain((b) => mutate(b)))
    : mode === "invalid"
      ? fc.option(arbs.invalid(), { nil: undefined })
      : fc.constant(undefined);
  const raw = mode === "invalid" ? fc.option(fc.constantFrom('{"a":', "[1,2]", "null", "\u0000", "x".repeat(70_000)), { nil: undefined, freq: 6 }) : fc.constant(undefined);
  const who = mode === "valid" ? fc.constantFrom(adminToken, adminToken, memberToken) : fc.constantFrom(adminToken, memberToken, undefined, "orq_deadbeef_" + "A".repeat(43), "garbage");
  const headers =
    mode === "invalid"
      ? fc.record(
          {
            "idempotency-key": fc.oneof(fc.uuid(), fc.constant(""), fc.constant("has space"), fc.string({ maxLength: 300, unit: "grapheme-ascii" })),
            "content-type": fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-8"),
          },
          { requiredKeys: [] },
        )
      : op.method === "POST"
        ? fc.option(fc.uuid().map((k) => ({ "idempotency-key": k })), { nil: {} as Record<string, string> })
        : fc.constant({} as Record<string, string>);
  return fc.record({ paramValues, query, extraQuery, body, raw, who, headers }).map(({ paramValues, query, extraQuery, body, raw, who, headers }) => {
    let p = op.path;
    pathParams.forEach((param, i) => (p = p.replace(`{${param.name as string}}`, encodeURIComponent(String(paramValues[i])))));
    const sp = new URLSearchParams();
    for (const [k, v] of query) if (v !== undefined) sp.append(k, typeof v === "string" ? v : JSON.stringify(v));
    let qs = sp.toString();
    if (extraQuery) qs = qs ? `${qs}&${extraQuery}` : extraQuery;
    const built: Built = { target: qs ? `${p}?${qs}` : p, headers: { ...(headers as Record<string, string>) }, token: who };
    if (raw !== undefined) built.rawBody = raw;
    else if (body !== undefined) built.body = body;
    return built;
  });
}

/** A valid body with one field replaced by garbage, or removed. */
function mutate(value: unknown): fc.Arbitrary<unknown> {
  if (!value || typeof value !== "object" || Array.isArray(value) || !Object.keys(value).length) return fc.constant(value);
  const keys = Object.keys(value);
  return fc.tuple(fc.constantFrom(...keys), arbs.invalid(), fc.boolean()).map(([k, g, drop]) => {
    const copy = { ...(value as Record<string, unknown>) };
    if (drop) delete copy[k];
    else copy[k] = g;
    return copy;
  });
}

function check(op: Op, req: Built, res: ApiAnswer) {
  stats.requests++;
  stats.byStatus[res.status] = (stats.byStatus[res.status] ?? 0) + 1;
  const where = `${op.method} ${req.target} -> ${res.status} ${res.text.slice(0, 300)}`;
  expect(res.status, where).toBeLessThan(500);
  const documented = op.responses[String(res.status)];
  expect(documented, `undocumented status: ${where}`).toBeDefined();
  const content = documented.content as Record<string, { schema?: unknown }> | undefined;
  const types = Object.keys(content ?? {});
  const other = types.find((t) => t !== "application/json");
  if (other && !content?.["application/json"]) {
    // A documented non-JSON body (CSV export): the right type and something in it.
    expect(res.headers.get("content-type"), where).toMatch(new RegExp(`^${other.replace("/", "\\/")}`));
    expect(res.text.length, where).toBeGreaterThan(0);
    return;
  }
  const schema = content?.["application/json"]?.schema ;
  if (!schema) {
    expect(res.text, where).toBe("");
    return;
  }
  expect(res.headers.get("content-type"), where).toMatch(/^application\/json/);
  const validate = validatorFor(`${op.operationId} ${res.status}`, schema);
  expect(validate(res.json), `${where}\n${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
}

async function send(op: Op, req: Built): Promise<ApiAnswer> {
  return apiCall(op.method, req.target, { token: req.token, body: req.body, rawBody: req.rawBody, headers: req.headers });
}

describe("OpenAPI-driven fuzzing of /api/v1", () => {
  it("covers every documented operation", () => {
    expect(ops.length).toBeGreaterThan(60);
  });

  describe.each(ops.map((o) => [`${o.method} ${o.path}`, o] as const))("%s", (_name, op) => {
    it("valid requests: documented status and body, never 5xx", async () => {
      await fc.assert(
        fc.asyncProperty(requestArb(op, "valid"), async (req) => check(op, req, await send(op, req))),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    });
    it("invalid requests: refused with a documented 4xx, never 5xx", async () => {
      await fc.assert(
        fc.asyncProperty(requestArb(op, "invalid"), async (req) => check(op, req, await send(op, req))),
        { seed: SEED + 1, numRuns: RUNS, endOnFailure: true },
      );
    });
  });

  it.each(Object.keys(doc.paths))("%s: undocumented methods answer 405 with Allow", async (path) => {
    const documented = Object.keys((doc.paths as Record<string, object>)[path]).map((m) => m.toUpperCase());
    const allow = [...METHODS.filter((m) => documented.includes(m)).flatMap((m) => (m === "GET" ? ["GET", "HEAD"] : [m])), "OPTIONS"].join(", ");
    const concrete = path.replace(/\{\w+\}/g, "3f6c1c1e-8a51-4c3e-9d6b-0c5a7b2e9f10");
    for (const m of METHODS.filter((x) => !documented.includes(x))) {
      const r = await apiCall(m, concrete, { token: adminToken });
      stats.requests++;
      expect(r.status, `${m} ${path}`).toBe(405);
      expect(r.headers.get("allow")).toBe(allow);
      const validate = validatorFor("MethodNotAllowed", (doc.components.responses.MethodNotAllowed.content as Record<string, { schema: unknown }>)["application/json"].schema);
      expect(validate(r.json)).toBe(true);
    }
  });
});

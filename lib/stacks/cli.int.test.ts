// The command line (bin/orquestra.mjs) end to end over HTTP: a real HTTP server in front of
// the API's route handlers (the same apiRoute the app serves), an API token, a worker
// process on the simulator. plan, apply (waits for the outputs), a YAML error with its line,
// export + adopt, destroy.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { ctxFor } from "../../test/factories";
import { makeEstate, spawnWorker, stopAllWorkers, type Estate } from "../../test/orchestration/harness";
import { createApiToken } from "../apitokens/create-api-token";
import { apiRoute, apiRuntime } from "../api/handler";
import { API_OPERATIONS, operationsAt } from "../api/operations";
import { runStacks } from "./stack-task";
// @ts-expect-error plain JavaScript shipped as the package's bin
import { main } from "../../bin/orquestra.mjs";

let t: TestDatabase;
let server: http.Server;
let base = "";
let ticker: NodeJS.Timeout;

beforeAll(async () => {
  t = await createTestDatabase();
  apiRuntime.db = () => t.db;
  apiRuntime.sessionId = async () => null;
  await spawnWorker(t.url);
  // The app's routing: each declared path template bound to its operations.
  const routes = [...new Set(API_OPERATIONS.map((o) => o.path))]
    .sort((a, b) => b.split("/").filter((s) => !s.startsWith("{")).length - a.split("/").filter((s) => !s.startsWith("{")).length)
    .map((p) => ({ re: new RegExp(`^/api/v1${p.replace(/\{(\w+)\}/g, "(?<$1>[^/]+)")}$`), handlers: apiRoute(operationsAt(p)) as unknown as Record<string, (r: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>> }));
  server = http.createServer(async (req, res) => {
    const url = new URL(req.url!, "http://localhost");
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const route = routes.find((r) => r.re.test(url.pathname));
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    const params = route.re.exec(url.pathname)!.groups ?? {};
    const request = new Request(url, { method: req.method, headers: req.headers as Record<string, string>, body: chunks.length ? Buffer.concat(chunks) : undefined });
    const answer = await route.handlers[req.method!]!(request, { params: Promise.resolve({ ...params }) });
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The worker's stack task, every half second instead of every minute.
  ticker = setInterval(() => void runStacks(t.db, new Date()).catch(() => {}), 500);
}, 60_000);
afterAll(async () => {
  clearInterval(ticker);
  await new Promise((r) => server?.close(r));
  await stopAllWorkers();
  await t?.drop();
});

async function cli(args: string[], env: Record<string, string>, files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const written: Record<string, string> = {};
  const code = await main(args, {
    env,
    stdout: (s: string) => out.push(s),
    stderr: (s: string) => err.push(s),
    readFile: async (f: string) => files[f] ?? Promise.reject(new Error(`no file ${f}`)),
    writeFile: async (f: string, s: string) => void (written[f] = s),
    sleep: (ms: number) => new Promise((r) => setTimeout(r, Math.min(ms, 200))),
  });
  return { code, out: out.join("\n"), err: err.join("\n"), written };
}

describe("orquestra CLI", () => {
  let e: Estate;
  let env: Record<string, string>;
  let yaml: string;
  beforeAll(async () => {
    e = await makeEstate(t.db, { hosts: 2 });
    await t.db.project.update({ where: { id: e.projectId }, data: { autoApproveBelowCents: 1_000_000 } });
    const token = await createApiToken(await ctxFor(t.db, e.ownerId), { name: "cli" } as Parameters<typeof createApiToken>[1]);
    env = { ORQUESTRA_URL: base, ORQUESTRA_TOKEN: token.secret };
    const [project, offering, template] = await Promise.all([
      t.db.project.findUniqueOrThrow({ where: { id: e.projectId } }),
      t.db.offering.findUniqueOrThrow({ where: { id: e.offeringId } }),
      t.db.template.findUniqueOrThrow({ where: { id: e.templateId } }),
    ]);
    yaml = `apiVersion: orquestra/v1
kind: Stack
metadata: { name: cli-shop, project: ${project.slug} }
parameters:
  webCount: { type: integer, default: 1 }
machines:
  - { name: cli-db, offering: ${offering.name}, template: ${template.name} }
  - name: cli-web
    offering: ${offering.name}
    template: ${template.name}
    count: \${params.webCount}
    dependsOn: [cli-db]
outputs:
  db: \${machines.cli-db.ip}
  web: \${machines.cli-web.names}
`;
  });

  it("refuses without a token, and a bad document with file:line:column", async () => {
    expect((await cli(["plan", "-f", "s.yaml"], {})).code).toBe(2);
    const bad = await cli(["plan", "-f", "s.yaml"], env, { "s.yaml": yaml.replace("count: ${params.webCount}", "count: many") });
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^s\.yaml:11:12: machines\.1\.count: /m);
    const wrongToken = await cli(["plan", "-f", "s.yaml"], { ...env, ORQUESTRA_TOKEN: "orq_nope" }, { "s.yaml": yaml });
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.err).toMatch(/^401/);
  });

  it("plans, applies with a parameter (waiting for the outputs), exports and destroys", { timeout: 120_000 }, async () => {
    const plan = await cli(["plan", "-f", "s.yaml", "--param", "webCount=2"], env, { "s.yaml": yaml });
    expect(plan.err).toBe("");
    expect(plan.code).toBe(0);
    expect(plan.out).toMatch(/create\s+cli-db/);
    expect(plan.out).toMatch(/create\s+cli-web-02/);
    expect(plan.out).toContain("Waves: [cli-db] -> [cli-web]");
    const applied = await cli(["apply", "-f", "s.yaml", "--param", "webCount=2"], env, { "s.yaml": yaml });
    expect(applied.err).toBe("");
    expect(applied.code).toBe(0);
    expect(applied.out).toContain("APPLIED");
    expect(applied.out).toMatch(/output db = \d+\.\d+\.\d+\.\d+/);
    expect(applied.out).toContain("output web = cli-web-01,cli-web-02");

    const ids = (await t.db.machine.findMany({ where: { projectId: e.projectId, name: { startsWith: "cli-web" } } })).map((m) => m.id);
    const exported = await cli(["export", "--project", e.projectId, "--machines", ids.join(","), "--name", "copy", "-o", "copy.yaml"], env);
    expect(exported.code).toBe(0);
    expect(exported.written["copy.yaml"]).toMatch(/name: cli-web\n\s+offering: .+\n\s+template: .+\n\s+count: 2/);

    const destroyed = await cli(["destroy", "-f", "s.yaml"], env, { "s.yaml": yaml });
    expect(destroyed.code).toBe(0);
    expect(destroyed.out).toContain("DESTROYED");
    expect(await t.db.machine.count({ where: { projectId: e.projectId, state: { not: "DELETED" } } })).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parseStackYaml } from "./parse";
import { resolveMachines, resolveParameters, resolveWorkloads, stackJsonSchema, evaluateOutputs, dependencyWaves, leaseDate } from "./document";

const base = `apiVersion: orquestra/v1
kind: Stack
metadata:
  name: shop
  project: web-platform
machines:
  - name: db
    offering: Large SSD
    template: Ubuntu 24.04 LTS
`;

describe("parseStackYaml", () => {
  it("accepts the example stack and resolves its parameters and dependency waves", () => {
    const r = parseStackYaml(readFileSync("docs/examples/shop-stack.yaml", "utf8"));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { values, errors } = resolveParameters(r.document, {});
    expect(errors).toEqual([]);
    const machines = resolveMachines(r.document, values);
    expect(machines.map((m) => [m.name, m.count])).toEqual([["shop-db", 1], ["shop-web", 2]]);
    expect(dependencyWaves(machines)).toEqual([["shop-db"], ["shop-web"]]);
    expect(resolveWorkloads(r.document, values).map((w) => [w.name, w.replicas, w.dependsOn])).toEqual([["shop-lb", 2, ["shop-web"]]]);
    expect(dependencyWaves([...r.document.machines, ...r.document.workloads])).toEqual([["shop-db"], ["shop-web"], ["shop-lb"]]);
    expect(resolveMachines(r.document, resolveParameters(r.document, { webCount: "3" }).values)[1]!.count).toBe(3);
    expect(r.document.healing).toBe("auto");
    const out = evaluateOutputs(r.document, values, [
      { group: "shop-db", name: "shop-db", ipAddress: "10.0.0.5" },
      { group: "shop-web", name: "shop-web-02", ipAddress: "10.0.0.7" },
      { group: "shop-web", name: "shop-web-01", ipAddress: "10.0.0.6" },
    ]);
    expect(out).toEqual({ database: "10.0.0.5", web: "10.0.0.6,10.0.0.7" });
  });

  it("answers invalid YAML with line and column", () => {
    const r = parseStackYaml(base + "  - name: [unclosed\n");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0]!.line).toBeGreaterThanOrEqual(10);
    expect(r.problems[0]!.column).toBeGreaterThan(0);
  });

  it("answers a duplicate key with its line", () => {
    const r = parseStackYaml(base.replace("kind: Stack\n", "kind: Stack\nkind: Stack\n"));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.line).toBe(3);
  });

  it.each([
    ["a wrong count type", base + "    count: lots\n", 10, "machines.0.count"],
    ["an unknown key", base + "    colour: blue\n", 10, ""],
    ["a bad machine name", base.replace("name: db", "name: DB_1"), 7, "machines.0.name"],
    ["an unknown dependency", base + "    dependsOn: [web]\n", 10, "machines.0.dependsOn.0"],
    ["a missing offering", base.replace("    offering: Large SSD\n", ""), 7, "machines.0.offering"],
    ["a wrong apiVersion", base.replace("orquestra/v1", "orquestra/v2"), 1, "apiVersion"],
  ])("answers %s with line and column", (_, text, line, path) => {
    const r = parseStackYaml(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const p = r.problems.find((x) => x.path === path || (path === "" && /unrecognized|Unrecognized/.test(x.message)));
    expect(p, JSON.stringify(r.problems)).toBeDefined();
    expect(p!.line).toBe(line);
    expect(p!.column).toBeGreaterThan(0);
  });

  it("accepts container workloads: defaults, parameters, a dependency on a machine", () => {
    const text = base + "parameters:\n  apiReplicas: { type: integer, default: 3 }\n  tag: { type: string, default: \"1.36\" }\nworkloads:\n  - name: api\n    image: localhost/busybox:${params.tag}\n    command: [sleep, \"3600\"]\n    replicas: ${params.apiReplicas}\n    offering: Small SSD\n    ports: [{ containerPort: 8080 }]\n    env: { DB_HOST: db, TAG: \"${params.tag}\" }\n    healthCheck: { command: [\"true\"] }\n    dependsOn: [db]\n";
    const r = parseStackYaml(text);
    expect(r.ok, JSON.stringify(!r.ok && r.problems)).toBe(true);
    if (!r.ok) return;
    const { values } = resolveParameters(r.document);
    expect(resolveWorkloads(r.document, values)).toEqual([
      { name: "api", image: "localhost/busybox:1.36", command: ["sleep", "3600"], replicas: 3, offering: "Small SSD", placement: "auto", ports: [{ containerPort: 8080, protocol: "TCP" }], env: { DB_HOST: "db", TAG: "1.36" }, healthCheck: { command: ["true"], intervalSeconds: 10, retries: 3 }, dependsOn: ["db"] },
    ]);
    expect(dependencyWaves([...r.document.machines, ...r.document.workloads])).toEqual([["db"], ["api"]]);
  });

  it.each([
    ["a workload without an image", "workloads:\n  - name: api\n    offering: Small SSD\n", "workloads.0.image", 11],
    ["a bad image reference", "workloads:\n  - name: api\n    image: \"Not An Image\"\n    offering: Small SSD\n", "workloads.0.image", 12],
    ["zero replicas", "workloads:\n  - name: api\n    image: busybox\n    offering: Small SSD\n    replicas: 0\n", "workloads.0.replicas", 14],
    ["a workload named like a machine", "workloads:\n  - name: db\n    image: busybox\n    offering: Small SSD\n", "workloads.0.name", 11],
    ["an unknown dependency", "workloads:\n  - name: api\n    image: busybox\n    offering: Small SSD\n    dependsOn: [cache]\n", "workloads.0.dependsOn.0", 14],
    ["an unknown key", "workloads:\n  - name: api\n    image: busybox\n    offering: Small SSD\n    volumes: [data]\n", "workloads.0", 14],
  ])("refuses %s with its line", (_, extra, path, line) => {
    const r = parseStackYaml(base + extra);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const p = r.problems.find((x) => x.path === path);
    expect(p, JSON.stringify(r.problems)).toBeDefined();
    expect(p!.line).toBe(line);
  });

  it("refuses a machine that depends on a workload (machines wait for machines only)", () => {
    const r = parseStackYaml(base + "    dependsOn: [api]\nworkloads:\n  - name: api\n    image: busybox\n    offering: Small SSD\n");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.message)).toContain('"api" is a workload: machines depend on machines only');
  });

  it("refuses a dependency cycle and a count referring to a text parameter", () => {
    const text = base + "    dependsOn: [web]\n  - name: web\n    offering: Small SSD\n    template: Ubuntu 24.04 LTS\n    count: ${params.n}\n    dependsOn: [db]\nparameters:\n  n: { type: string, default: x }\n";
    const r = parseStackYaml(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.message).join("\n")).toMatch(/cycle: db -> web -> db/);
    expect(r.problems.map((p) => p.message).join("\n")).toMatch(/parameter "n" is not an integer/);
  });

  it("refuses outputs referring to unknown machines", () => {
    const r = parseStackYaml(base + "outputs:\n  x: ${machines.web.ip}\n");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]).toMatchObject({ path: "outputs.x", line: 11 });
  });
});

describe("the published JSON Schema", () => {
  it("is the committed docs/stack.schema.json (run scripts/gen-stack-schema.ts after changing the schema)", () => {
    expect(JSON.parse(readFileSync("docs/stack.schema.json", "utf8"))).toEqual(stackJsonSchema());
  });
});

describe("leaseDate", () => {
  it("keeps a date and turns days into the date that many days from now (UTC)", () => {
    const now = new Date("2026-12-03T23:30:00Z");
    expect(leaseDate("2027-01-31", now)).toBe("2027-01-31");
    expect(leaseDate("30d", now)).toBe("2027-01-02");
    expect(leaseDate(undefined, now)).toBeUndefined();
  });
  it("refuses other lease forms with a line", () => {
    const r = parseStackYaml(base + "    lease: next month\n");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]).toMatchObject({ path: "machines.0.lease", line: 10 });
  });
});

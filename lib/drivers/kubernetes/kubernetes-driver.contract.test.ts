// Kubernetes driver: contract, no real Kubernetes API server. No kube-apiserver can run here,
// so the driver (@kubernetes/client-node 1.4) talks to a local HTTPS server (its own certificate, trusted as the cluster's CA) that answers with
// exchanges recorded from the Kubernetes API reference (paths, verbs, status codes and object
// shapes of apps/v1, v1 and autoscaling/v2); the test checks every request the driver makes
// (method, path, query, bearer token, body) and how it reads the answers and the errors.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DriverError } from "../types";
import type { WorkloadSpec } from "../workload-types";
import { deploymentManifest } from "./manifests";
import { KubernetesDriver, parseCpu, parseMemoryMb } from "./kubernetes-driver";

interface Exchange {
  method: string;
  path: string;
  auth?: string;
  contentType?: string;
  body?: unknown;
}
type Route = (req: Exchange) => { status: number; body?: unknown; text?: string } | undefined;

let server: https.Server;
let url: string;
let ca: string;
let seen: Exchange[] = [];
let routes: Route[] = [];

const NS = "orq-demo";
const spec: WorkloadSpec = {
  workloadId: "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b",
  installationId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
  projectId: "11111111-2222-4333-8444-555555555555",
  name: "web-6f1c2a3b",
  image: "registry.example.com/web:1.0",
  command: null,
  replicas: 3,
  vcpu: 1,
  memoryMb: 256,
  ports: [{ containerPort: 8080, protocol: "TCP" }],
  env: { MODE: "demo", API_TOKEN: "s3cret" },
  secretKeys: ["API_TOKEN"],
  healthCheck: null,
  updateStrategy: "ROLLING",
  autoscaling: { minReplicas: 3, maxReplicas: 6, cpuPercent: 70 },
  namespace: NS,
};
const LABEL = "orquestra.io/workload-id";
const notFound = (kind: string, name: string) => ({ status: 404, body: { kind: "Status", apiVersion: "v1", status: "Failure", message: `${kind} "${name}" not found`, reason: "NotFound", code: 404 } });
const deploymentStatus = {
  ...deploymentManifest(spec),
  metadata: { name: spec.name, namespace: NS, resourceVersion: "4711", labels: { [LABEL]: spec.workloadId, "orquestra.io/installation-id": spec.installationId } },
  status: {
    observedGeneration: 1,
    replicas: 3,
    updatedReplicas: 3,
    readyReplicas: 2,
    availableReplicas: 2,
    conditions: [
      { type: "Available", status: "False", reason: "MinimumReplicasUnavailable", message: "Deployment does not have minimum availability." },
      { type: "Progressing", status: "True", reason: "ReplicaSetUpdated", message: `ReplicaSet "${spec.name}-7d9c" is progressing.` },
    ],
  },
};
const pod = (i: number, phase: string, ready: boolean) => ({
  metadata: { name: `${spec.name}-7d9c-${i}`, uid: `uid-${i}`, namespace: NS, labels: { [LABEL]: spec.workloadId } },
  spec: { containers: [{ name: "app", image: spec.image }] },
  status: { phase, containerStatuses: [{ name: "app", ready, image: spec.image, restartCount: 0 }] },
});
const podList = { kind: "PodList", apiVersion: "v1", metadata: {}, items: [pod(1, "Running", true), pod(2, "Running", true), pod(3, "Pending", false)] };

beforeAll(async () => {
  // A throw-away self-signed certificate for 127.0.0.1: the driver trusts it as the
  // provider's `ca` credential, as it would a cluster's CA.
  const dir = mkdtempSync(path.join(os.tmpdir(), "orq-k8s-tls-"));
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "ignore" });
  ca = readFileSync(path.join(dir, "cert.pem"), "utf8");
  const key = readFileSync(path.join(dir, "key.pem"), "utf8");
  rmSync(dir, { recursive: true, force: true });
  server = https.createServer({ key, cert: ca }, (req, res) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => {
      const ex: Exchange = { method: req.method!, path: req.url!, auth: req.headers.authorization, contentType: req.headers["content-type"], body: data ? JSON.parse(data) : undefined };
      seen.push(ex);
      const answer = routes.map((r) => r(ex)).find(Boolean) ?? { status: 500, body: { kind: "Status", message: `no recorded exchange for ${ex.method} ${ex.path}`, code: 500 } };
      res.writeHead(answer.status, { "content-type": answer.text !== undefined ? "text/plain" : "application/json" });
      res.end(answer.text ?? JSON.stringify(answer.body ?? {}));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  seen = [];
  routes = [];
});

const driver = () => new KubernetesDriver({ providerId: "k8s-contract", endpoint: url, credentials: { token: "t0ken", ca }, config: { callTimeoutMs: 5000 } });
const on = (method: string, path: string | RegExp, answer: ReturnType<Route>): Route => (req) =>
  req.method === method && (typeof path === "string" ? req.path === path : path.test(req.path)) ? answer : undefined;
const calls = () => seen.map((e) => `${e.method} ${e.path}`);

describe("Kubernetes driver (contract, no real Kubernetes API server)", () => {
  it("creates namespace, Secret, Deployment, Service and HPA for a new workload, then reads its status", async () => {
    routes = [
      on("GET", `/api/v1/namespaces/${NS}`, notFound("namespaces", NS)),
      on("POST", "/api/v1/namespaces", { status: 201, body: { metadata: { name: NS } } }),
      on("GET", `/api/v1/namespaces/${NS}/secrets/${spec.name}-secrets`, notFound("secrets", `${spec.name}-secrets`)),
      on("POST", `/api/v1/namespaces/${NS}/secrets`, { status: 201, body: {} }),
      on("POST", `/apis/apps/v1/namespaces/${NS}/deployments`, { status: 201, body: deploymentStatus }),
      on("GET", `/api/v1/namespaces/${NS}/services/${spec.name}`, notFound("services", spec.name)),
      on("POST", `/api/v1/namespaces/${NS}/services`, { status: 201, body: {} }),
      on("GET", `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/${spec.name}`, notFound("horizontalpodautoscalers.autoscaling", spec.name)),
      on("POST", `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers`, { status: 201, body: {} }),
      // The Deployment: absent at first, then as the API server reports it.
      (req) => (req.method === "GET" && req.path === `/apis/apps/v1/namespaces/${NS}/deployments/${spec.name}` ? (seen.some((e) => e.method === "POST" && e.path.endsWith("/deployments")) ? { status: 200, body: deploymentStatus } : notFound("deployments.apps", spec.name)) : undefined),
      on("GET", new RegExp(`^/api/v1/namespaces/${NS}/pods\\?labelSelector=`), { status: 200, body: podList }),
    ];
    const d = driver();
    const s = await d.workloads.apply(spec);
    expect(calls()).toEqual([
      `GET /api/v1/namespaces/${NS}`,
      "POST /api/v1/namespaces",
      `GET /api/v1/namespaces/${NS}/secrets/${spec.name}-secrets`,
      `POST /api/v1/namespaces/${NS}/secrets`,
      `GET /apis/apps/v1/namespaces/${NS}/deployments/${spec.name}`,
      `POST /apis/apps/v1/namespaces/${NS}/deployments`,
      `GET /api/v1/namespaces/${NS}/services/${spec.name}`,
      `POST /api/v1/namespaces/${NS}/services`,
      `GET /apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/${spec.name}`,
      `POST /apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers`,
      `GET /apis/apps/v1/namespaces/${NS}/deployments/${spec.name}`,
      `GET /api/v1/namespaces/${NS}/pods?labelSelector=${encodeURIComponent(`${LABEL}=${spec.workloadId}`)}`,
    ]);
    expect(seen.every((e) => e.auth === "Bearer t0ken")).toBe(true);
    const posted = (p: string) => seen.find((e) => e.method === "POST" && e.path.endsWith(p))!.body as Record<string, unknown>;
    expect(posted("/deployments")).toEqual(JSON.parse(JSON.stringify(deploymentManifest(spec))));
    expect(posted("/secrets")).toMatchObject({ kind: "Secret", stringData: { API_TOKEN: "s3cret" } });
    expect(JSON.stringify(posted("/deployments"))).not.toContain("s3cret");
    expect(posted("/horizontalpodautoscalers")).toMatchObject({ apiVersion: "autoscaling/v2", spec: { minReplicas: 3, maxReplicas: 6 } });
    expect(posted("/namespaces")).toMatchObject({ metadata: { name: NS, labels: { "orquestra.io/installation-id": spec.installationId } } });
    // Status from the Deployment's counts and conditions, replicas from its pods.
    expect(s).toMatchObject({ desired: 3, ready: 2, updated: 3, running: 2, image: spec.image });
    expect(s.replicas.map((r) => r.state)).toEqual(["RUNNING", "RUNNING", "STARTING"]);
    expect(s.conditions?.find((c) => c.type === "Available")).toMatchObject({ status: "False", reason: "MinimumReplicasUnavailable" });
  });

  it("replaces existing objects keeping resourceVersion, the Service's clusterIP and the HPA's replica count", async () => {
    const live = { ...deploymentStatus, spec: { ...((deploymentStatus as Record<string, unknown>).spec as object), replicas: 5 } };
    routes = [
      on("GET", `/api/v1/namespaces/${NS}`, { status: 200, body: { metadata: { name: NS } } }),
      on("GET", `/api/v1/namespaces/${NS}/secrets/${spec.name}-secrets`, { status: 200, body: { metadata: { name: `${spec.name}-secrets`, resourceVersion: "11" } } }),
      on("PUT", `/api/v1/namespaces/${NS}/secrets/${spec.name}-secrets`, { status: 200, body: {} }),
      on("GET", `/apis/apps/v1/namespaces/${NS}/deployments/${spec.name}`, { status: 200, body: live }),
      on("PUT", `/apis/apps/v1/namespaces/${NS}/deployments/${spec.name}`, { status: 200, body: live }),
      on("GET", `/api/v1/namespaces/${NS}/services/${spec.name}`, { status: 200, body: { metadata: { name: spec.name, resourceVersion: "12" }, spec: { clusterIP: "10.96.0.42" } } }),
      on("PUT", `/api/v1/namespaces/${NS}/services/${spec.name}`, { status: 200, body: {} }),
      on("GET", `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/${spec.name}`, { status: 200, body: { metadata: { name: spec.name, resourceVersion: "13" } } }),
      on("PUT", `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/${spec.name}`, { status: 200, body: {} }),
      on("GET", new RegExp(`^/api/v1/namespaces/${NS}/pods`), { status: 200, body: podList }),
    ];
    await driver().workloads.apply({ ...spec, image: "registry.example.com/web:1.1" });
    expect(calls().filter((c) => c.startsWith("POST"))).toEqual([]);
    const put = (p: string) => seen.find((e) => e.method === "PUT" && e.path.includes(p))!.body as { metadata: { resourceVersion: string }; spec: Record<string, unknown> };
    expect(put("/deployments/").metadata.resourceVersion).toBe("4711");
    expect(put("/deployments/").spec.replicas).toBe(5);
    expect(JSON.stringify(put("/deployments/"))).toContain("registry.example.com/web:1.1");
    expect(put("/services/").spec.clusterIP).toBe("10.96.0.42");
  });

  it("restarts with a pod-template annotation (JSON patch), reads pod logs, removes by name", async () => {
    routes = [
      on("PATCH", `/apis/apps/v1/namespaces/${NS}/deployments/${spec.name}`, { status: 200, body: deploymentStatus }),
      on("GET", `/apis/apps/v1/namespaces/${NS}/deployments/${spec.name}`, { status: 200, body: deploymentStatus }),
      on("GET", new RegExp(`^/api/v1/namespaces/${NS}/pods\\?`), { status: 200, body: podList }),
      on("GET", new RegExp(`^/api/v1/namespaces/${NS}/pods/[^/]+/log\\?`), { status: 200, text: "hello\nworld\n" }),
      on("DELETE", `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/${spec.name}`, notFound("horizontalpodautoscalers.autoscaling", spec.name)),
      on("DELETE", `/api/v1/namespaces/${NS}/services/${spec.name}`, { status: 200, body: {} }),
      on("DELETE", `/apis/apps/v1/namespaces/${NS}/deployments/${spec.name}?propagationPolicy=Foreground`, { status: 200, body: {} }),
      on("DELETE", `/api/v1/namespaces/${NS}/secrets/${spec.name}-secrets`, { status: 200, body: {} }),
    ];
    const d = driver();
    await d.workloads.restart(spec, "op-1");
    const patch = seen.find((e) => e.method === "PATCH")!;
    expect(patch.contentType).toContain("application/json-patch+json");
    expect(patch.body).toEqual([{ op: "add", path: "/spec/template/metadata/annotations", value: { "orquestra.io/restarted-by": "op-1" } }]);
    seen = [];
    const lines = await d.workloads.logs(spec, 10);
    expect(lines).toHaveLength(6);
    expect(calls()).toContain(`GET /api/v1/namespaces/${NS}/pods/${spec.name}-7d9c-1/log?container=app&tailLines=10`);
    seen = [];
    await d.workloads.remove(spec);
    expect(calls().filter((c) => c.startsWith("DELETE"))).toHaveLength(4);
  });

  it("never removes a Deployment labelled for another installation", async () => {
    const foreign = { ...deploymentStatus, metadata: { ...deploymentStatus.metadata, labels: { [LABEL]: spec.workloadId, "orquestra.io/installation-id": "someone-else" } } };
    routes = [on("GET", `/apis/apps/v1/namespaces/${NS}/deployments/${spec.name}`, { status: 200, body: foreign })];
    await driver().workloads.remove(spec);
    expect(calls().some((c) => c.startsWith("DELETE"))).toBe(false);
  });

  it("maps API errors: 401 AUTH, 503 retryable UNAVAILABLE, 422 rejected for good, unreachable UNAVAILABLE", async () => {
    const status = (code: number, message: string) => ({ status: code, body: { kind: "Status", status: "Failure", message, code } });
    routes = [on("GET", `/api/v1/namespaces/${NS}`, status(401, "Unauthorized"))];
    const e1 = await driver().workloads.apply(spec).catch((e: unknown) => e);
    expect(e1).toMatchObject({ code: "AUTH", retryable: false });
    routes = [on("GET", `/api/v1/namespaces/${NS}`, status(503, "etcdserver: leader changed"))];
    const e2 = await driver().workloads.apply(spec).catch((e: unknown) => e);
    expect(e2).toMatchObject({ code: "UNAVAILABLE", retryable: true });
    routes = [
      on("GET", `/api/v1/namespaces/${NS}`, { status: 200, body: {} }),
      on("GET", /secrets/, { status: 200, body: { metadata: {} } }),
      on("PUT", /secrets/, { status: 200, body: {} }),
      on("GET", /deployments/, notFound("deployments.apps", spec.name)),
      on("POST", /deployments/, status(422, 'Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value')),
    ];
    const e3 = await driver().workloads.apply(spec).catch((e: unknown) => e);
    expect(e3).toBeInstanceOf(DriverError);
    expect(e3).toMatchObject({ code: "PROVIDER", retryable: false });
    expect((e3 as Error).message).toContain("is invalid");
    const off = new KubernetesDriver({ providerId: "x", endpoint: "https://127.0.0.1:1", credentials: { token: "t", ca }, config: {} });
    await expect(off.testConnection()).rejects.toMatchObject({ code: "UNAVAILABLE" });
  });

  it("discovers namespaces and node capacity, and tests the connection with the token", async () => {
    routes = [
      on("GET", "/version", { status: 200, body: { major: "1", minor: "30", gitVersion: "v1.30.4" } }),
      on("GET", "/api/v1/namespaces?limit=1", { status: 200, body: { items: [] } }),
      on("GET", "/api/v1/namespaces", { status: 200, body: { items: [{ metadata: { name: "default" } }, { metadata: { name: NS, labels: { "orquestra.io/installation-id": spec.installationId } } }] } }),
      on("GET", "/api/v1/nodes", {
        status: 200,
        body: {
          items: [
            { metadata: { name: "node-a" }, spec: {}, status: { allocatable: { cpu: "3920m", memory: "16283392Ki" }, conditions: [{ type: "Ready", status: "True" }] } },
            { metadata: { name: "node-b" }, spec: { unschedulable: true }, status: { allocatable: { cpu: "8", memory: "32Gi" }, conditions: [{ type: "Ready", status: "False" }] } },
          ],
        },
      }),
    ];
    const d = driver();
    expect(await d.testConnection()).toEqual({ version: "v1.30.4" });
    expect(await d.listNamespaces(spec.installationId)).toEqual([{ name: "default", managed: false }, { name: NS, managed: true }]);
    expect(await d.getCapacity()).toEqual([
      { ref: "node-a", name: "node-a", vcpu: 3, memoryMb: 15901, diskGb: {}, maintenance: false, healthy: true },
      { ref: "node-b", name: "node-b", vcpu: 8, memoryMb: 32768, diskGb: {}, maintenance: true, healthy: false },
    ]);
    await expect(d.provision()).rejects.toMatchObject({ code: "UNSUPPORTED" });
  });

  it("parses Kubernetes quantities", () => {
    expect(parseCpu("250m")).toBe(0.25);
    expect(parseCpu("2")).toBe(2);
    expect(parseMemoryMb("1Gi")).toBe(1024);
    expect(parseMemoryMb("1G")).toBe(953);
    expect(parseMemoryMb("nonsense")).toBe(0);
  });
});

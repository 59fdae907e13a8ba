// Kubernetes driver (@kubernetes/client-node 1.4, the last line for Node 20): a provider is a
// cluster (API URL + bearer token, optional CA; sealed like every provider credential), each
// project gets its own namespace (`orq-<project slug>`), a workload becomes the objects built
// by manifests.ts (Deployment + Service + Secret, + HorizontalPodAutoscaler when asked),
// applied create-or-replace so a retried operation converges. Status comes from the
// Deployment's replica counts and conditions, logs from its pods. Machines are not run here
// (every machine method answers UNSUPPORTED); capacity is the nodes' allocatable CPU and memory.
//
// Tested against recorded exchanges of the Kubernetes API (contract tests, no real API server
// can run here) and, for the Deployment manifest, `podman kube play`; never against a cluster.
import { ApiException, AppsV1Api, AutoscalingV2Api, CoreV1Api, KubeConfig, VersionApi } from "@kubernetes/client-node";
import { deadline, raceSignal, toDriverError, transportError } from "../call";
import { DriverError, type CallOptions, type Capability, type Driver, type DriverConfig, type DriverHostCapacity, type DriverMachine } from "../types";
import type { ReplicaState, WorkloadEngine, WorkloadLogLine, WorkloadSpec, WorkloadStatus } from "../workload-types";
import { deploymentManifest, hpaManifest, LABEL_INSTALLATION, LABEL_WORKLOAD, namespaceManifest, podSelector, secretManifest, secretName, serviceManifest } from "./manifests";

type Obj = Record<string, unknown>;
const RESTART_ANNOTATION = "orquestra.io/restarted-by";

/** "500m" -> 0.5, "2" -> 2. */
export function parseCpu(q: string | undefined): number {
  if (!q) return 0;
  return q.endsWith("m") ? Number(q.slice(0, -1)) / 1000 : Number(q);
}

/** "8Gi", "8192Mi", "8388608Ki", "8000000000" -> MiB. */
export function parseMemoryMb(q: string | undefined): number {
  if (!q) return 0;
  const m = /^(\d+(?:\.\d+)?)([KMGT]i?|[kMGT])?$/.exec(q.trim());
  if (!m) return 0;
  const n = Number(m[1]);
  const unit: Record<string, number> = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  return Math.floor((n * (m[2] ? unit[m[2]] : 1)) / 1024 ** 2);
}

export class KubernetesDriver implements Driver {
  readonly kind = "KUBERNETES" as const;
  readonly capabilities: ReadonlySet<Capability> = new Set<Capability>();
  readonly workloads: WorkloadEngine;
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly hpa: AutoscalingV2Api;
  private readonly version: VersionApi;
  private readonly callTimeoutMs: number;

  constructor(config: DriverConfig) {
    const kc = new KubeConfig();
    const server = config.endpoint.replace(/\/+$/, "");
    kc.loadFromOptions({
      clusters: [{ name: "orquestra", server, caData: config.credentials.ca ? Buffer.from(config.credentials.ca).toString("base64") : undefined, skipTLSVerify: false }],
      users: [{ name: "orquestra", token: config.credentials.token }],
      contexts: [{ name: "orquestra", cluster: "orquestra", user: "orquestra" }],
      currentContext: "orquestra",
    });
    this.core = kc.makeApiClient(CoreV1Api);
    this.apps = kc.makeApiClient(AppsV1Api);
    this.hpa = kc.makeApiClient(AutoscalingV2Api);
    this.version = kc.makeApiClient(VersionApi);
    this.callTimeoutMs = typeof config.config.callTimeoutMs === "number" ? config.config.callTimeoutMs : 30_000;
    this.workloads = new KubernetesWorkloads(this);
  }

  /** One API call under a deadline, its failure mapped into a DriverError. */
  async call<T>(what: string, opts: CallOptions | undefined, fn: () => Promise<T>): Promise<T> {
    const signal = deadline(opts, this.callTimeoutMs);
    try {
      return await raceSignal(fn(), signal, `Kubernetes ${what}`);
    } catch (err) {
      throw this.mapError(err, what, signal);
    }
  }

  private mapError(err: unknown, what: string, signal: AbortSignal): DriverError {
    if (err instanceof DriverError) return err;
    if (err instanceof ApiException) {
      const body = typeof err.body === "string" ? safeJson(err.body) : err.body;
      const msg = (body as { message?: string } | undefined)?.message ?? `HTTP ${err.code}`;
      if (err.code === 401 || err.code === 403) return new DriverError("AUTH", `Kubernetes refused the token (${what}): ${msg}`, false);
      if (err.code === 404) return new DriverError("NOT_FOUND", `Kubernetes: ${msg}`, false);
      if (err.code === 409) return new DriverError("PROVIDER", `Kubernetes conflict (${what}): ${msg}`, true);
      if (err.code === 422 || err.code === 400) return new DriverError("PROVIDER", `Kubernetes rejected ${what}: ${msg}`, false);
      if (err.code === 403 && /exceeded quota/i.test(msg)) return new DriverError("CAPACITY", `Kubernetes: ${msg}`, false);
      if (err.code === 429 || err.code >= 500) return new DriverError("UNAVAILABLE", `Kubernetes ${what} failed: ${msg}`, true);
      return new DriverError("PROVIDER", `Kubernetes ${what} failed: ${msg}`, false);
    }
    return transportError(err, `Kubernetes API (${what})`, signal) ?? toDriverError(err, `Kubernetes ${what}`, signal);
  }

  /** Reads an object, or null when it does not exist. */
  async readOrNull<T>(what: string, opts: CallOptions | undefined, fn: () => Promise<T>): Promise<T | null> {
    try {
      return await this.call(what, opts, fn);
    } catch (err) {
      if (err instanceof DriverError && err.code === "NOT_FOUND") return null;
      throw err;
    }
  }

  get api() {
    return { core: this.core, apps: this.apps, hpa: this.hpa };
  }

  private unsupported(): never {
    throw new DriverError("UNSUPPORTED", "A Kubernetes provider runs container workloads, not machines", false);
  }
  async provision(): Promise<DriverMachine> {
    return this.unsupported();
  }
  async getMachine(): Promise<DriverMachine> {
    return this.unsupported();
  }
  async start(): Promise<void> {
    this.unsupported();
  }
  async stop(): Promise<void> {
    this.unsupported();
  }
  async reboot(): Promise<void> {
    this.unsupported();
  }
  async destroy(): Promise<void> {
    this.unsupported();
  }
  async listMachines(): Promise<DriverMachine[]> {
    return [];
  }
  async findByMachineId(): Promise<DriverMachine | null> {
    return null;
  }

  /** Node capacity: each Ready, schedulable node's allocatable CPU and memory. */
  async getCapacity(opts?: CallOptions): Promise<DriverHostCapacity[]> {
    const nodes = await this.call("list nodes", opts, () => this.core.listNode());
    return (nodes.items ?? []).map((n) => ({
      ref: n.metadata?.name ?? "",
      name: n.metadata?.name ?? "",
      vcpu: Math.floor(parseCpu(n.status?.allocatable?.cpu)),
      memoryMb: parseMemoryMb(n.status?.allocatable?.memory),
      diskGb: {},
      maintenance: n.spec?.unschedulable === true,
      healthy: (n.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True"),
    }));
  }

  /** The cluster's namespaces (discovery), with whether this installation manages each. */
  async listNamespaces(installationId: string | null, opts?: CallOptions): Promise<{ name: string; managed: boolean }[]> {
    const list = await this.call("list namespaces", opts, () => this.core.listNamespace());
    return (list.items ?? []).map((n) => ({ name: n.metadata?.name ?? "", managed: !!installationId && n.metadata?.labels?.[LABEL_INSTALLATION] === installationId }));
  }

  async testConnection(opts?: CallOptions): Promise<{ version?: string }> {
    const v = await this.call("version", opts, () => this.version.getCode());
    // The version endpoint may be anonymous: prove the token with an authorised list too.
    await this.call("list namespaces", opts, () => this.core.listNamespace({ limit: 1 }));
    return { version: v.gitVersion };
  }

  async close(): Promise<void> {
    // The client keeps no sessions; node-fetch's sockets close with their requests.
  }
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return { message: s.slice(0, 200) };
  }
}

const podState = (phase: string | undefined, ready: boolean): ReplicaState =>
  phase === "Running" ? (ready ? "RUNNING" : "STARTING") : phase === "Pending" ? "STARTING" : phase === "Failed" ? "FAILED" : phase === "Succeeded" ? "STOPPED" : "UNKNOWN";

class KubernetesWorkloads implements WorkloadEngine {
  /** The Deployment controller restarts and reschedules pods: the portal only observes. */
  readonly selfHealing = true;
  constructor(private readonly d: KubernetesDriver) {}

  private ns(spec: { namespace?: string }): string {
    if (!spec.namespace) throw new DriverError("PROVIDER", "A Kubernetes workload needs a namespace", false);
    return spec.namespace;
  }

  private async ensureNamespace(name: string, installationId: string, opts?: CallOptions) {
    const { core } = this.d.api;
    const found = await this.d.readOrNull("read namespace", opts, () => core.readNamespace({ name }));
    if (!found) {
      await this.d.call("create namespace", opts, () => core.createNamespace({ body: namespaceManifest(name, installationId) as never })).catch((err: unknown) => {
        // Created meanwhile by a concurrent apply: fine.
        if (!(err instanceof DriverError && err.message.includes("conflict"))) throw err;
      });
    }
  }

  /** Create, or replace keeping what the server owns (resourceVersion, a Service's clusterIP). */
  private async upsert(kind: string, body: Obj, read: () => Promise<Obj>, create: (b: Obj) => Promise<unknown>, replace: (b: Obj) => Promise<unknown>, opts?: CallOptions, keep?: (live: Obj, b: Obj) => void) {
    const live = await this.d.readOrNull(`read ${kind}`, opts, read);
    if (!live) return this.d.call(`create ${kind}`, opts, () => create(body));
    const meta = body.metadata as Obj;
    meta.resourceVersion = (live.metadata as Obj | undefined)?.resourceVersion;
    keep?.(live, body);
    return this.d.call(`replace ${kind}`, opts, () => replace(body));
  }

  async apply(spec: WorkloadSpec, opts?: CallOptions): Promise<WorkloadStatus> {
    const namespace = this.ns(spec);
    const { core, apps, hpa } = this.d.api;
    await this.ensureNamespace(namespace, spec.installationId, opts);
    const secret = secretManifest(spec);
    if (secret) {
      await this.upsert("secret", secret, () => core.readNamespacedSecret({ name: secretName(spec), namespace }) as never, (b) => core.createNamespacedSecret({ namespace, body: b as never }), (b) => core.replaceNamespacedSecret({ name: secretName(spec), namespace, body: b as never }), opts);
    }
    const dep = deploymentManifest(spec);
    await this.upsert(
      "deployment",
      dep,
      () => apps.readNamespacedDeployment({ name: spec.name, namespace }) as never,
      (b) => apps.createNamespacedDeployment({ namespace, body: b as never }),
      (b) => apps.replaceNamespacedDeployment({ name: spec.name, namespace, body: b as never }),
      opts,
      (live, b) => {
        // A restart's annotation stays (else every later apply would restart the pods again);
        // under an HPA the autoscaler's current count stays.
        const ann = ((live.spec as Obj)?.template as { metadata?: { annotations?: Record<string, string> } })?.metadata?.annotations?.[RESTART_ANNOTATION];
        if (ann) ((b.spec as Obj).template as { metadata: Obj }).metadata.annotations = { [RESTART_ANNOTATION]: ann };
        if (spec.autoscaling) (b.spec as Obj).replicas = (live.spec as Obj)?.replicas ?? (b.spec as Obj).replicas;
      },
    );
    const svc = serviceManifest(spec);
    if (svc) {
      await this.upsert("service", svc, () => core.readNamespacedService({ name: spec.name, namespace }) as never, (b) => core.createNamespacedService({ namespace, body: b as never }), (b) => core.replaceNamespacedService({ name: spec.name, namespace, body: b as never }), opts, (live, b) => {
        (b.spec as Obj).clusterIP = (live.spec as Obj)?.clusterIP;
      });
    }
    const h = hpaManifest(spec);
    if (h) {
      await this.upsert("horizontalpodautoscaler", h, () => hpa.readNamespacedHorizontalPodAutoscaler({ name: spec.name, namespace }) as never, (b) => hpa.createNamespacedHorizontalPodAutoscaler({ namespace, body: b as never }), (b) => hpa.replaceNamespacedHorizontalPodAutoscaler({ name: spec.name, namespace, body: b as never }), opts);
    }
    return (await this.status(spec, opts)) ?? { ref: spec.name, desired: spec.replicas, running: 0, ready: 0, updated: 0, image: spec.image, replicas: [] };
  }

  async restart(spec: WorkloadSpec, generation: string, opts?: CallOptions): Promise<WorkloadStatus> {
    const namespace = this.ns(spec);
    const { apps } = this.d.api;
    // What `kubectl rollout restart` does: a pod-template annotation; the same generation
    // (operation id) again changes nothing, so a retry does not restart twice.
    await this.d.call("restart deployment", opts, () =>
      apps.patchNamespacedDeployment({ name: spec.name, namespace, body: [{ op: "add", path: `/spec/template/metadata/annotations`, value: { [RESTART_ANNOTATION]: generation } }] as never }),
    );
    return (await this.status(spec, opts))!;
  }

  async status(spec: Pick<WorkloadSpec, "workloadId" | "name" | "namespace">, opts?: CallOptions): Promise<WorkloadStatus | null> {
    const namespace = this.ns(spec);
    const { apps, core } = this.d.api;
    const dep = await this.d.readOrNull("read deployment", opts, () => apps.readNamespacedDeployment({ name: spec.name, namespace }));
    if (!dep) return null;
    const pods = await this.d.call("list pods", opts, () => core.listNamespacedPod({ namespace, labelSelector: `${LABEL_WORKLOAD}=${spec.workloadId}` }));
    const image = dep.spec?.template?.spec?.containers?.[0]?.image ?? null;
    return {
      ref: spec.name,
      desired: dep.spec?.replicas ?? 0,
      running: (pods.items ?? []).filter((p) => p.status?.phase === "Running").length,
      ready: dep.status?.readyReplicas ?? 0,
      updated: dep.status?.updatedReplicas ?? 0,
      image,
      replicas: (pods.items ?? []).map((p) => {
        const ready = (p.status?.containerStatuses ?? []).every((c) => c.ready);
        return { ref: p.metadata?.uid ?? p.metadata?.name ?? "", name: p.metadata?.name ?? "", image: p.spec?.containers?.[0]?.image ?? "", state: podState(p.status?.phase, ready), healthy: p.status?.phase === "Running" ? ready : null };
      }),
      conditions: (dep.status?.conditions ?? []).map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message })),
    };
  }

  async logs(spec: Pick<WorkloadSpec, "workloadId" | "name" | "namespace">, tail: number, opts?: CallOptions): Promise<WorkloadLogLine[]> {
    const namespace = this.ns(spec);
    const { core } = this.d.api;
    const pods = await this.d.call("list pods", opts, () => core.listNamespacedPod({ namespace, labelSelector: `${LABEL_WORKLOAD}=${spec.workloadId}` }));
    const out: WorkloadLogLine[] = [];
    for (const p of pods.items ?? []) {
      const name = p.metadata?.name ?? "";
      const text = await this.d.call("pod logs", opts, () => core.readNamespacedPodLog({ name, namespace, container: "app", tailLines: tail }));
      for (const line of String(text ?? "").split("\n")) if (line) out.push({ replica: name, line });
    }
    return out;
  }

  async remove(spec: Pick<WorkloadSpec, "workloadId" | "installationId" | "name" | "namespace">, opts?: CallOptions): Promise<void> {
    const namespace = this.ns(spec);
    const { core, apps, hpa } = this.d.api;
    const gone = async (what: string, fn: () => Promise<unknown>) => {
      await this.d.readOrNull(what, opts, fn);
    };
    // Only what carries this workload's id and this installation's id.
    const dep = await this.d.readOrNull("read deployment", opts, () => apps.readNamespacedDeployment({ name: spec.name, namespace }));
    const labels = dep?.metadata?.labels ?? {};
    if (dep && (labels[LABEL_WORKLOAD] !== spec.workloadId || (labels[LABEL_INSTALLATION] && labels[LABEL_INSTALLATION] !== spec.installationId))) return;
    await gone("delete horizontalpodautoscaler", () => hpa.deleteNamespacedHorizontalPodAutoscaler({ name: spec.name, namespace }));
    await gone("delete service", () => core.deleteNamespacedService({ name: spec.name, namespace }));
    await gone("delete deployment", () => apps.deleteNamespacedDeployment({ name: spec.name, namespace, propagationPolicy: "Foreground" }));
    await gone("delete secret", () => core.deleteNamespacedSecret({ name: secretName(spec), namespace }));
  }

  async listOwned(installationId: string, opts?: CallOptions): Promise<string[]> {
    const { apps } = this.d.api;
    const list = await this.d.call("list deployments", opts, () => apps.listDeploymentForAllNamespaces({ labelSelector: `${LABEL_INSTALLATION}=${installationId}` }));
    return [...new Set((list.items ?? []).map((d) => d.metadata?.labels?.[LABEL_WORKLOAD]).filter((x): x is string => !!x))];
  }
}

export { podSelector };

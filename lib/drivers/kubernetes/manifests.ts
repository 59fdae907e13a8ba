// The Kubernetes objects of a workload, built by pure functions (no client, no I/O): tests
// validate them against the upstream schemas (kubernetes-models) and run the Deployment for
// real with `podman kube play`; the driver sends exactly these to the API server.
//
// A workload becomes, in its project's namespace: a Deployment (replicas, image, command,
// limits = requests = the offering's per-replica vCPU and memory, env, secrets through a
// Secret, a liveness probe from the health check, RollingUpdate or Recreate), a Service for
// its ports, and a HorizontalPodAutoscaler (autoscaling/v2, CPU utilisation) when asked.
// Every object carries the ownership labels (workload id, installation id, project id).
import type { WorkloadSpec } from "../workload-types";

export const LABEL_WORKLOAD = "orquestra.io/workload-id";
export const LABEL_INSTALLATION = "orquestra.io/installation-id";
export const LABEL_PROJECT = "orquestra.io/project-id";
export const LABEL_MANAGED = "app.kubernetes.io/managed-by";

type Obj = Record<string, unknown>;

export function ownershipLabels(spec: Pick<WorkloadSpec, "workloadId" | "installationId" | "projectId">): Record<string, string> {
  return { [LABEL_WORKLOAD]: spec.workloadId, [LABEL_INSTALLATION]: spec.installationId, [LABEL_PROJECT]: spec.projectId, [LABEL_MANAGED]: "orquestra" };
}

/** Pods are selected by the workload id alone (a selector is immutable: nothing that changes). */
export const podSelector = (workloadId: string) => ({ [LABEL_WORKLOAD]: workloadId });

export const secretName = (spec: Pick<WorkloadSpec, "name">) => `${spec.name}-secrets`;

export function namespaceManifest(name: string, installationId: string): Obj {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { [LABEL_INSTALLATION]: installationId, [LABEL_MANAGED]: "orquestra" } } };
}

/** The secrets as a Secret object (stringData: the API server encodes them). */
export function secretManifest(spec: WorkloadSpec): Obj | null {
  if (!spec.secretKeys.length) return null;
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: secretName(spec), namespace: spec.namespace, labels: ownershipLabels(spec) },
    type: "Opaque",
    stringData: Object.fromEntries(spec.secretKeys.map((k) => [k, spec.env[k] ?? ""])),
  };
}

const cpu = (vcpu: number) => (Number.isInteger(vcpu) ? String(vcpu) : `${Math.round(vcpu * 1000)}m`);

export function deploymentManifest(spec: WorkloadSpec): Obj {
  const labels = ownershipLabels(spec);
  const env = [
    ...Object.entries(spec.env)
      .filter(([k]) => !spec.secretKeys.includes(k))
      .map(([name, value]) => ({ name, value })),
    ...spec.secretKeys.map((name) => ({ name, valueFrom: { secretKeyRef: { name: secretName(spec), key: name } } })),
  ];
  const resources = { cpu: cpu(spec.vcpu), memory: `${spec.memoryMb}Mi` };
  const container: Obj = {
    name: "app",
    image: spec.image,
    ...(spec.command ? { command: spec.command } : {}),
    ...(env.length ? { env } : {}),
    ...(spec.ports.length ? { ports: spec.ports.map((p) => ({ containerPort: p.containerPort, protocol: p.protocol })) } : {}),
    resources: { limits: resources, requests: resources },
    ...(spec.healthCheck
      ? { livenessProbe: { exec: { command: spec.healthCheck.command }, periodSeconds: spec.healthCheck.intervalSeconds, failureThreshold: spec.healthCheck.retries } }
      : {}),
  };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: spec.name, namespace: spec.namespace, labels },
    spec: {
      // Under an HPA the autoscaler owns the count; the Deployment starts at the minimum.
      replicas: spec.autoscaling ? Math.max(spec.autoscaling.minReplicas, spec.replicas) : spec.replicas,
      selector: { matchLabels: podSelector(spec.workloadId) },
      strategy: spec.updateStrategy === "RECREATE" ? { type: "Recreate" } : { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels },
        spec: { containers: [container] },
      },
    },
  };
}

export function serviceManifest(spec: WorkloadSpec): Obj | null {
  if (!spec.ports.length) return null;
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: spec.name, namespace: spec.namespace, labels: ownershipLabels(spec) },
    spec: {
      type: "ClusterIP",
      selector: podSelector(spec.workloadId),
      ports: spec.ports.map((p) => ({ name: `${p.protocol.toLowerCase()}-${p.containerPort}`, port: p.containerPort, targetPort: p.containerPort, protocol: p.protocol })),
    },
  };
}

export function hpaManifest(spec: WorkloadSpec): Obj | null {
  if (!spec.autoscaling) return null;
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: spec.name, namespace: spec.namespace, labels: ownershipLabels(spec) },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: spec.name },
      minReplicas: spec.autoscaling.minReplicas,
      maxReplicas: spec.autoscaling.maxReplicas,
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: spec.autoscaling.cpuPercent } } }],
    },
  };
}

/** Every object of the workload, in the order they are applied. */
export function workloadManifests(spec: WorkloadSpec): Obj[] {
  return [secretManifest(spec), deploymentManifest(spec), serviceManifest(spec), hpaManifest(spec)].filter((o): o is Obj => o !== null);
}

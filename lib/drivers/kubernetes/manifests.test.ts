// Every generated manifest validated against the upstream Kubernetes schemas (kubernetes-models
// 4.5, Kubernetes 1.2x OpenAPI): Deployment, Service, Secret, Namespace and the autoscaling/v2
// HorizontalPodAutoscaler; plus what the objects must say (labels, selector, limits, strategy).
import { describe, expect, it } from "vitest";
import { Deployment } from "kubernetes-models/apps/v1";
import { Namespace, Secret, Service } from "kubernetes-models/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import type { WorkloadSpec } from "../workload-types";
import { deploymentManifest, hpaManifest, LABEL_WORKLOAD, namespaceManifest, secretManifest, serviceManifest, workloadManifests } from "./manifests";

const spec: WorkloadSpec = {
  workloadId: "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b",
  installationId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
  projectId: "11111111-2222-4333-8444-555555555555",
  name: "web-6f1c2a3b",
  image: "localhost/busybox:latest",
  command: ["sh", "-c", "while true; do echo tick; sleep 1; done"],
  replicas: 3,
  vcpu: 1,
  memoryMb: 256,
  ports: [{ containerPort: 8080, protocol: "TCP" }],
  env: { MODE: "demo", API_TOKEN: "s3cret" },
  secretKeys: ["API_TOKEN"],
  healthCheck: { command: ["sh", "-c", "true"], intervalSeconds: 10, retries: 3 },
  updateStrategy: "ROLLING",
  autoscaling: null,
  namespace: "orq-demo",
};

describe("Kubernetes manifests (validated against the upstream schemas)", () => {
  it("builds a valid Deployment with limits, env, secrets by reference, probe and rolling strategy", () => {
    const d = deploymentManifest(spec);
    expect(() => new Deployment(d as never).validate()).not.toThrow();
    const c = (d.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers[0];
    expect(c.resources).toEqual({ limits: { cpu: "1", memory: "256Mi" }, requests: { cpu: "1", memory: "256Mi" } });
    expect(c.env).toEqual([{ name: "MODE", value: "demo" }, { name: "API_TOKEN", valueFrom: { secretKeyRef: { name: "web-6f1c2a3b-secrets", key: "API_TOKEN" } } }]);
    expect(JSON.stringify(d)).not.toContain("s3cret");
    expect((d.spec as { selector: unknown }).selector).toEqual({ matchLabels: { [LABEL_WORKLOAD]: spec.workloadId } });
    expect((d.spec as { strategy: unknown }).strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    expect((d.spec as { replicas: number }).replicas).toBe(3);
  });

  it("builds a valid Recreate Deployment with fractional CPU and no command", () => {
    const d = deploymentManifest({ ...spec, updateStrategy: "RECREATE", vcpu: 0.5, command: null, healthCheck: null, secretKeys: [], env: {} });
    expect(() => new Deployment(d as never).validate()).not.toThrow();
    expect(JSON.stringify(d)).toContain('"cpu":"500m"');
    expect(JSON.stringify(d)).not.toContain("command");
  });

  it("builds a valid Service, Secret and Namespace", () => {
    expect(() => new Service(serviceManifest(spec) as never).validate()).not.toThrow();
    expect(() => new Secret(secretManifest(spec) as never).validate()).not.toThrow();
    expect(() => new Namespace(namespaceManifest("orq-demo", spec.installationId) as never).validate()).not.toThrow();
    expect(serviceManifest({ ...spec, ports: [] })).toBeNull();
    expect(secretManifest({ ...spec, secretKeys: [] })).toBeNull();
  });

  it("builds a valid autoscaling/v2 HorizontalPodAutoscaler only when autoscaling is asked", () => {
    const auto = { ...spec, autoscaling: { minReplicas: 2, maxReplicas: 6, cpuPercent: 70 } };
    const h = hpaManifest(auto)!;
    expect(() => new HorizontalPodAutoscaler(h as never).validate()).not.toThrow();
    expect(h.spec).toMatchObject({ minReplicas: 2, maxReplicas: 6, scaleTargetRef: { kind: "Deployment", name: spec.name } });
    expect(hpaManifest(spec)).toBeNull();
    expect(workloadManifests(auto).map((o) => o.kind)).toEqual(["Secret", "Deployment", "Service", "HorizontalPodAutoscaler"]);
  });

  it("the schemas do reject a broken manifest (the validation can fail)", () => {
    const d = deploymentManifest(spec) as { spec: { replicas: unknown } };
    d.spec.replicas = "three";
    expect(() => new Deployment(d as never).validate()).toThrow();
    const h = hpaManifest({ ...spec, autoscaling: { minReplicas: 1, maxReplicas: 2, cpuPercent: 50 } }) as { spec: { maxReplicas: unknown } };
    delete (h.spec as Record<string, unknown>).maxReplicas;
    expect(() => new HorizontalPodAutoscaler(h as never).validate()).toThrow();
  });
});

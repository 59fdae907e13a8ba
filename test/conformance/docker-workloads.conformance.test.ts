// Docker workloads (N containers sharing ownership labels) against Podman's Docker API.
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { DockerDriver } from "@/lib/drivers/docker/docker-driver";
import { WORKLOAD_ID_LABEL, WORKLOAD_STACK_LABEL } from "@/lib/drivers/docker/docker-workloads";
import { workloadResourceName, type WorkloadSpec } from "@/lib/drivers/workload-types";
import { describeWorkloadConformance } from "./workload-conformance";
import { requireEndpoints } from "./endpoints";

const found = requireEndpoints("Docker (Podman)", ["ORQ_DOCKER_SOCKET", "ORQ_DOCKER_IMAGE"]);
const env = "values" in found ? found.values : {};

describeWorkloadConformance({
  name: "docker",
  setup: async () => {
    if ("reason" in found) return found;
    if (!existsSync(env.ORQ_DOCKER_SOCKET)) return { reason: `Docker (Podman) socket ${env.ORQ_DOCKER_SOCKET} is missing; run npm run backends:up` };
    return { ok: true };
  },
  driver: () => new DockerDriver({ providerId: "conformance-docker-workloads", endpoint: `unix://${env.ORQ_DOCKER_SOCKET}`, credentials: {}, config: { stopTimeoutSeconds: 2 } }),
  images: async () => {
    // The rollout's "new version": a second tag of the local image (no registry is reachable).
    const docker = new Docker({ socketPath: env.ORQ_DOCKER_SOCKET });
    const [repo] = env.ORQ_DOCKER_IMAGE.split(":");
    await docker.getImage(env.ORQ_DOCKER_IMAGE).tag({ repo, tag: "orq-v2" });
    return { first: env.ORQ_DOCKER_IMAGE, second: `${repo}:orq-v2` };
  },
  // busybox: prints the greeting, then a line a second; exits at once on SIGTERM.
  command: ["sh", "-c", "trap 'exit 0' TERM; echo \"$GREETING from $(hostname)\"; while true; do sleep 1 & wait $!; echo tick; done"],
  storageDriver: /overlay/,
});

describe("docker workload containers (labels)", () => {
  it("a workload in a stack labels its containers with the stack id; one outside a stack does not", async (ctx) => {
    if ("reason" in found || !existsSync(env.ORQ_DOCKER_SOCKET)) {
      const why = "reason" in found ? found.reason : `Docker (Podman) socket ${env.ORQ_DOCKER_SOCKET} is missing`;
      if (process.env.CI) throw new Error(`CI requires the docker backend: ${why}`);
      return ctx.skip(why);
    }
    const d = new DockerDriver({ providerId: "conformance-docker-workloads", endpoint: `unix://${env.ORQ_DOCKER_SOCKET}`, credentials: {}, config: { stopTimeoutSeconds: 2 } });
    const docker = new Docker({ socketPath: env.ORQ_DOCKER_SOCKET });
    const base = (stackId: string | null): WorkloadSpec => {
      const workloadId = randomUUID();
      return {
        workloadId,
        installationId: "00000000-0000-4000-8000-0000000057ac",
        projectId: randomUUID(),
        name: workloadResourceName("labels", workloadId),
        image: env.ORQ_DOCKER_IMAGE,
        command: null,
        replicas: 1,
        vcpu: 1,
        memoryMb: 32,
        ports: [],
        env: {},
        secretKeys: [],
        healthCheck: null,
        updateStrategy: "ROLLING",
        autoscaling: null,
        stackId,
      };
    };
    const stackId = randomUUID();
    const inStack = base(stackId);
    const alone = base(null);
    try {
      for (const s of [inStack, alone]) await d.workloads!.apply(s, { signal: AbortSignal.timeout(60_000) });
      const labelsOf = async (s: WorkloadSpec) => (await docker.listContainers({ all: true, filters: { label: [`${WORKLOAD_ID_LABEL}=${s.workloadId}`] } })).map((c) => c.Labels);
      const [a] = await labelsOf(inStack);
      expect(a?.[WORKLOAD_STACK_LABEL]).toBe(stackId);
      const [b] = await labelsOf(alone);
      expect(b).toBeDefined();
      expect(b![WORKLOAD_STACK_LABEL]).toBeUndefined();
    } finally {
      for (const s of [inStack, alone]) await d.workloads!.remove(s).catch(() => {});
      await d.close();
    }
  }, 120_000);
});

// Docker workloads (N containers sharing ownership labels) against Podman's Docker API.
import { existsSync } from "node:fs";
import Docker from "dockerode";
import { DockerDriver } from "@/lib/drivers/docker/docker-driver";
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

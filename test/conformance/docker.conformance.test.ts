import { existsSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import Docker from "dockerode";
import { DockerDriver } from "@/lib/drivers/docker/docker-driver";
import { describeConformance } from "./driver-conformance";
import { requireEndpoints } from "./endpoints";

const found = requireEndpoints("Docker (Podman)", ["ORQ_DOCKER_SOCKET", "ORQ_DOCKER_IMAGE"]);
const env = "values" in found ? found.values : {};
const make = (endpoint: string) => new DockerDriver({ providerId: "conformance-docker", endpoint, credentials: {}, config: { stopTimeoutSeconds: 5 } });

describeConformance({
  name: "docker",
  setup: async () => {
    if ("reason" in found) return found;
    if (!existsSync(env.ORQ_DOCKER_SOCKET)) return { reason: `Docker (Podman) socket ${env.ORQ_DOCKER_SOCKET} is missing; run npm run backends:up` };
    return { ok: true };
  },
  driver: () => make(`unix://${env.ORQ_DOCKER_SOCKET}`),
  spec: (machineId) => ({
    machineId,
    name: "conformance docker",
    vcpu: 1,
    memoryMb: 64,
    diskGb: 1,
    diskTier: "SSD",
    templateRef: env.ORQ_DOCKER_IMAGE,
  }),
  resizeTo: { vcpu: 2, memoryMb: 96 },
  wrongCredentials: () => ({ reason: "Podman's Docker API on a unix socket has no credentials (file permissions guard it)" }),
  unreachable: () => make(`unix://${path.join(os.tmpdir(), `orq-no-such-${process.pid}.sock`)}`),
  malformed: { kind: "http-unix", driver: (sock) => make(`unix://${sock}`) },
  hung: { kind: "unix", driver: (sock) => make(`unix://${sock}`) },
  // A CPU burner inside the container for 30 s (busybox sh), started detached through exec.
  busy: async (ref) => {
    // Its own agent, destroyed after: the suite checks that no socket is left open.
    const agent = new http.Agent({ keepAlive: false });
    const docker = new Docker({ socketPath: env.ORQ_DOCKER_SOCKET, agent } as Docker.DockerOptions);
    try {
      const exec = await docker.getContainer(ref).exec({ Cmd: ["sh", "-c", "timeout 30 sh -c 'while :; do :; done'"], AttachStdout: false, AttachStderr: false });
      await exec.start({ Detach: true });
    } finally {
      agent.destroy();
    }
  },
});

// Docker (Podman's Docker API) native backup: commit + save, load + recreate (see
// test/conformance/backup-conformance.ts). The marker file is written and read with exec.
import { existsSync } from "node:fs";
import Docker from "dockerode";
import { BACKUP_REPO, DockerDriver } from "@/lib/drivers/docker/docker-driver";
import { describeBackupConformance } from "./backup-conformance";
import { requireEndpoints } from "./endpoints";

const found = requireEndpoints("Docker (Podman)", ["ORQ_DOCKER_SOCKET", "ORQ_DOCKER_IMAGE"]);
const env = "values" in found ? found.values : {};
let raw: Docker | undefined;
const docker = () => (raw ??= new Docker({ socketPath: env.ORQ_DOCKER_SOCKET }));

async function exec(ref: string, cmd: string[]): Promise<{ code: number; out: string }> {
  const e = await docker().getContainer(ref).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await e.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => resolve());
    stream.on("error", reject);
  });
  const info = await e.inspect();
  // Demultiplex the 8-byte frame headers (stdout/stderr).
  const buf = Buffer.concat(chunks);
  let out = "";
  for (let off = 0; off + 8 <= buf.length; ) {
    const len = buf.readUInt32BE(off + 4);
    if (buf[off] === 1) out += buf.subarray(off + 8, off + 8 + len).toString("utf8");
    off += 8 + len;
  }
  return { code: info.ExitCode ?? -1, out };
}

describeBackupConformance({
  name: "docker",
  setup: async () => {
    if ("reason" in found) return found;
    if (!existsSync(env.ORQ_DOCKER_SOCKET)) return { reason: `Docker (Podman) socket ${env.ORQ_DOCKER_SOCKET} is missing; run npm run backends:up` };
    return { ok: true };
  },
  driver: () => new DockerDriver({ providerId: "conformance-docker-backup", endpoint: `unix://${env.ORQ_DOCKER_SOCKET}`, credentials: {}, config: { stopTimeoutSeconds: 5 } }),
  spec: (machineId) => ({ machineId, name: "backup docker", vcpu: 1, memoryMb: 64, diskGb: 1, diskTier: "SSD", templateRef: env.ORQ_DOCKER_IMAGE }),
  writeMarker: async (_d, ref, text) => {
    const r = await exec(ref, ["sh", "-c", `printf '%s' '${text}' > /root/orquestra-marker`]);
    if (r.code !== 0) throw new Error(`writing the marker failed (${r.code})`);
  },
  readMarker: async (_d, ref) => {
    const r = await exec(ref, ["cat", "/root/orquestra-marker"]);
    return r.code === 0 ? r.out : null;
  },
  // Backup images no container uses: a leaked export (or a restored machine's image left after its removal).
  leftovers: async () => {
    const images = await docker().listImages({ filters: { reference: [BACKUP_REPO] } });
    const used = new Set((await docker().listContainers({ all: true })).map((c) => c.ImageID));
    return images.filter((i) => !used.has(i.Id)).map((i) => (i.RepoTags ?? [i.Id]).join(","));
  },
  teardown: async () => {
    raw = undefined;
  },
});

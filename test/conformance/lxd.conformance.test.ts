import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { LxdDriver } from "@/lib/drivers/lxd/lxd-driver";
import { describeConformance } from "./driver-conformance";
import { requireEndpoints } from "./endpoints";

const found = requireEndpoints("LXD", ["ORQ_LXD_SOCKET", "ORQ_LXD_IMAGE"]);
const env = "values" in found ? found.values : {};
const make = (endpoint: string) => new LxdDriver({ providerId: "conformance-lxd", endpoint, credentials: {}, config: { stopTimeoutSeconds: 10 } });

describeConformance({
  name: "lxd",
  setup: async () => {
    if ("reason" in found) return found;
    if (!existsSync(env.ORQ_LXD_SOCKET)) return { reason: `LXD socket ${env.ORQ_LXD_SOCKET} is missing; run npm run backends:up` };
    return { ok: true };
  },
  driver: () => make(`unix://${env.ORQ_LXD_SOCKET}`),
  spec: (machineId) => ({ machineId, name: "conformance lxd", vcpu: 1, memoryMb: 64, diskGb: 1, diskTier: "SSD", templateRef: env.ORQ_LXD_IMAGE }),
  resizeTo: { vcpu: 2, memoryMb: 96 },
  wrongCredentials: () => ({ reason: "LXD's unix socket has no credentials (file permissions guard it)" }),
  unreachable: () => make(`unix://${path.join(os.tmpdir(), `orq-no-such-lxd-${process.pid}.sock`)}`),
  malformed: { kind: "http-unix", driver: (sock) => make(`unix://${sock}`) },
  hung: { kind: "unix", driver: (sock) => make(`unix://${sock}`) },
});

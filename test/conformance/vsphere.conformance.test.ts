import { VsphereDriver } from "@/lib/drivers/vsphere/vsphere-driver";
import { describeConformance } from "./driver-conformance";
import { requireEndpoints } from "./endpoints";
import { freeLoopbackPort } from "./fake-servers";

const found = requireEndpoints("vSphere (vcsim)", ["ORQ_VSPHERE_URL", "ORQ_VSPHERE_USERNAME", "ORQ_VSPHERE_PASSWORD", "ORQ_VSPHERE_TEMPLATE"]);
const env = "values" in found ? found.values : {};
const make = (endpoint: string, password = env.ORQ_VSPHERE_PASSWORD ?? "unused") =>
  new VsphereDriver({
    providerId: "conformance-vsphere",
    endpoint,
    credentials: { username: env.ORQ_VSPHERE_USERNAME ?? "orquestra", password },
    config: { stopTimeoutSeconds: 10, keepAliveSeconds: 60 },
  });

describeConformance({
  name: "vsphere",
  setup: async () => {
    if ("reason" in found) return found;
    try {
      // Any HTTP answer means the simulator is listening.
      await fetch(env.ORQ_VSPHERE_URL, { method: "GET", signal: AbortSignal.timeout(3_000) });
    } catch {
      return { reason: `vSphere simulator at ${env.ORQ_VSPHERE_URL} is not answering; run npm run backends:up` };
    }
    return { ok: true };
  },
  driver: () => make(env.ORQ_VSPHERE_URL),
  spec: (machineId) => ({
    machineId,
    name: "conformance vsphere",
    vcpu: 2,
    memoryMb: 512,
    diskGb: 10,
    diskTier: "SSD",
    templateRef: env.ORQ_VSPHERE_TEMPLATE,
  }),
  resizeTo: { vcpu: 4, memoryMb: 1024 },
  wrongCredentials: () => make(env.ORQ_VSPHERE_URL, "not-the-password"),
  unreachable: async () => make(`http://127.0.0.1:${await freeLoopbackPort()}/sdk`),
  malformed: { kind: "http-tcp", driver: (address) => make(`${address}/sdk`) },
  hung: { kind: "tcp", driver: (address) => make(`${address}/sdk`) },
});

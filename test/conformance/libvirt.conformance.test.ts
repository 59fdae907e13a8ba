// libvirt against the test driver (libvirtd as nobody, scripts/backends/up.sh). The real
// QEMU run is in libvirt-qemu.conformance.test.ts.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { LibvirtDriver } from "@/lib/drivers/libvirt/libvirt-driver";
import { describeConformance } from "./driver-conformance";
import { requireEndpoints } from "./endpoints";

const found = requireEndpoints("libvirt", ["ORQ_LIBVIRT_SOCKET", "ORQ_LIBVIRT_TEST_URI"]);
const env = "values" in found ? found.values : {};
const POOL = "default-pool";
const BASE = "orquestra-conformance-base.qcow2";
const make = (uri: string) => new LibvirtDriver({ providerId: "conformance-libvirt", endpoint: uri, credentials: {}, config: { storagePool: POOL, stopTimeoutSeconds: 5 } });

describeConformance({
  name: "libvirt (test driver)",
  setup: async () => {
    if ("reason" in found) return found;
    if (!existsSync(env.ORQ_LIBVIRT_SOCKET)) return { reason: `libvirt socket ${env.ORQ_LIBVIRT_SOCKET} is missing; run npm run backends:up` };
    // The template's base image, as a volume of the test driver's pool.
    try {
      execFileSync("virsh", ["-c", env.ORQ_LIBVIRT_TEST_URI, "-q", "vol-info", "--pool", POOL, BASE], { stdio: "ignore" });
    } catch {
      execFileSync("virsh", ["-c", env.ORQ_LIBVIRT_TEST_URI, "-q", "vol-create-as", "--pool", POOL, "--name", BASE, "--capacity", "1G", "--format", "qcow2"]);
    }
    return { ok: true };
  },
  driver: () => make(env.ORQ_LIBVIRT_TEST_URI),
  spec: (machineId) => ({ machineId, name: "conformance libvirt", vcpu: 1, memoryMb: 128, diskGb: 2, diskTier: "SSD", templateRef: BASE }),
  resizeTo: { vcpu: 2, memoryMb: 256 },
  wrongCredentials: () => ({ reason: "libvirt on a local unix socket authenticates by socket permissions (no SASL configured here)" }),
  unreachable: () => make(`test+unix:///default?socket=${path.join(os.tmpdir(), `orq-no-such-libvirt-${process.pid}.sock`)}`),
  malformed: { kind: "raw-unix", driver: (sock) => make(`test+unix:///default?socket=${sock}`) },
  hung: { kind: "unix", driver: (sock) => make(`test+unix:///default?socket=${sock}`) },
});

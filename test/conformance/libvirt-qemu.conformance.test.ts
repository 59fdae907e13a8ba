// libvirt with a real QEMU VM (qemu:///session, software emulation, libvirtd as nobody).
// The template's base image is built here: a 512-byte boot sector that writes
// "ORQUESTRA-BOOTED" to the first serial port and halts; the test reads the serial log to
// prove the VM really booted from the copy-on-write overlay of that base image.
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";
import { LibvirtDriver } from "@/lib/drivers/libvirt/libvirt-driver";
import { describeConformance } from "./driver-conformance";
import { requireEndpoints } from "./endpoints";

const found = requireEndpoints("libvirt QEMU session", ["ORQ_LIBVIRT_SOCKET", "ORQ_LIBVIRT_QEMU_URI", "ORQ_LIBVIRT_QEMU_POOL", "ORQ_LIBVIRT_QEMU_POOL_DIR"]);
const env = "values" in found ? found.values : {};
const BASE = "orquestra-boot-base.qcow2";
const NOBODY = 65534;
const serialDir = () => path.join(env.ORQ_LIBVIRT_QEMU_POOL_DIR, "..", "serial");
const make = (uri: string) =>
  new LibvirtDriver({
    providerId: "conformance-libvirt-qemu",
    endpoint: uri,
    credentials: {},
    // The boot sector ignores ACPI: stop falls back to a forced stop after 3 s.
    config: { storagePool: env.ORQ_LIBVIRT_QEMU_POOL, domainType: "qemu", stopTimeoutSeconds: 3, serialLogDir: serialDir() },
  });

/** A boot sector: DS=0; print the message on COM1 (0x3F8); cli; hlt forever. */
export function bootSector(message = "ORQUESTRA-BOOTED\r\n"): Buffer {
  const code = [0x31, 0xc0, 0x8e, 0xd8, 0xfc, 0xba, 0xf8, 0x03, 0xbe, 0x17, 0x7c, 0xac, 0x84, 0xc0, 0x74, 0x03, 0xee, 0xeb, 0xf8, 0xfa, 0xf4, 0xeb, 0xfc];
  const sector = Buffer.alloc(512);
  Buffer.from(code).copy(sector, 0);
  Buffer.from(message + "\0", "latin1").copy(sector, code.length);
  sector[510] = 0x55;
  sector[511] = 0xaa;
  return sector;
}

let machineName = "";

describeConformance({
  name: "libvirt (QEMU VM)",
  setup: async () => {
    if ("reason" in found) return found;
    if (!existsSync(env.ORQ_LIBVIRT_SOCKET)) return { reason: `libvirt socket ${env.ORQ_LIBVIRT_SOCKET} is missing; run npm run backends:up` };
    const base = path.join(env.ORQ_LIBVIRT_QEMU_POOL_DIR, BASE);
    if (!existsSync(base)) {
      const tmp = mkdtempSync(path.join(os.tmpdir(), "orq-boot-"));
      try {
        const raw = Buffer.alloc(1024 * 1024);
        bootSector().copy(raw, 0);
        writeFileSync(path.join(tmp, "boot.raw"), raw);
        execFileSync("qemu-img", ["convert", "-q", "-f", "raw", "-O", "qcow2", path.join(tmp, "boot.raw"), base]);
        chownSync(base, NOBODY, NOBODY);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    }
    mkdirSync(serialDir(), { recursive: true });
    chownSync(serialDir(), NOBODY, NOBODY);
    execFileSync("virsh", ["-c", env.ORQ_LIBVIRT_QEMU_URI, "-q", "pool-refresh", env.ORQ_LIBVIRT_QEMU_POOL], { stdio: "ignore" });
    return { ok: true };
  },
  driver: () => make(env.ORQ_LIBVIRT_QEMU_URI),
  spec: (machineId) => ({ machineId, name: "conformance qemu", vcpu: 1, memoryMb: 64, diskGb: 1, diskTier: "SSD", templateRef: path.join(env.ORQ_LIBVIRT_QEMU_POOL_DIR, BASE) }),
  afterProvision: async (m) => {
    machineName = m.ref;
    const log = path.join(serialDir(), `${m.ref}.log`);
    const until = Date.now() + 30_000;
    let text = "";
    while (Date.now() < until) {
      text = existsSync(log) ? readFileSync(log, "latin1") : "";
      if (text.includes("ORQUESTRA-BOOTED")) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(text, `serial log of ${machineName} shows the boot sector ran`).toContain("ORQUESTRA-BOOTED");
  },
  resizeTo: { vcpu: 2, memoryMb: 96 },
  wrongCredentials: () => ({ reason: "libvirt on a local unix socket authenticates by socket permissions (no SASL configured here)" }),
  unreachable: () => make(`qemu+unix:///session?socket=${path.join(os.tmpdir(), `orq-no-such-qemu-${process.pid}.sock`)}`),
  malformed: { kind: "raw-unix", driver: (sock) => make(`qemu+unix:///session?socket=${sock}`) },
  hung: { kind: "unix", driver: (sock) => make(`qemu+unix:///session?socket=${sock}`) },
});

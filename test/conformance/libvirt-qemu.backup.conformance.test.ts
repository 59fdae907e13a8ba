// libvirt/QEMU native backup: the domain's disk copied (vol-clone while paused) and streamed
// as a standalone qcow2, uploaded back into a new volume on restore/import (see
// test/conformance/backup-conformance.ts). The guest is a boot sector with no agent, so the
// marker is written into the disk image from the host while the domain is stopped (qemu-io at
// a fixed offset: a disk write the guest would see) and read back with qemu-img dd.
// The libvirt test driver (test:///) declares no "backup": it has no disks (checked below).
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { LibvirtDriver } from "@/lib/drivers/libvirt/libvirt-driver";
import type { Driver } from "@/lib/drivers/types";
import { describeBackupConformance } from "./backup-conformance";
import { requireEndpoints } from "./endpoints";

const found = requireEndpoints("libvirt QEMU session", ["ORQ_LIBVIRT_SOCKET", "ORQ_LIBVIRT_QEMU_URI", "ORQ_LIBVIRT_QEMU_POOL", "ORQ_LIBVIRT_QEMU_POOL_DIR"]);
const env = "values" in found ? found.values : {};
const BASE = "orquestra-backup-base.qcow2";
const NOBODY = 65534;
const MARKER_OFFSET = 512 * 1024;
const MARKER_LEN = 512;

const virsh = (...args: string[]) => execFileSync("virsh", ["-c", env.ORQ_LIBVIRT_QEMU_URI, "-q", ...args], { encoding: "utf8" });
const diskOf = (ref: string) => {
  const line = virsh("domblklist", ref).split("\n").map((l) => l.trim().split(/\s+/)).find((f) => f[0] === "vda");
  if (!line?.[1]) throw new Error(`no disk on ${ref}`);
  return line[1];
};

/** Boot sector that halts (the guest only needs to run; the disk is what is backed up). */
function bootSector(): Buffer {
  const sector = Buffer.alloc(512);
  Buffer.from([0xfa, 0xf4, 0xeb, 0xfd]).copy(sector, 0); // cli; hlt; jmp $-1
  sector[510] = 0x55;
  sector[511] = 0xaa;
  return sector;
}

async function stopped(d: Driver, ref: string) {
  await d.stop(ref);
}

describeBackupConformance({
  name: "libvirt-qemu",
  setup: async () => {
    if ("reason" in found) return found;
    if (!existsSync(env.ORQ_LIBVIRT_SOCKET)) return { reason: `libvirt socket ${env.ORQ_LIBVIRT_SOCKET} is missing; run npm run backends:up` };
    const base = path.join(env.ORQ_LIBVIRT_QEMU_POOL_DIR, BASE);
    if (!existsSync(base)) {
      const tmp = mkdtempSync(path.join(os.tmpdir(), "orq-boot-"));
      try {
        // 4 MiB of data: the export flattens the overlay and this base into one image.
        const raw = Buffer.alloc(4 * 1024 * 1024);
        for (let i = 512; i < raw.length; i += 4096) raw.writeUInt32LE(i, i);
        bootSector().copy(raw, 0);
        writeFileSync(path.join(tmp, "boot.raw"), raw);
        execFileSync("qemu-img", ["convert", "-q", "-f", "raw", "-O", "qcow2", path.join(tmp, "boot.raw"), base]);
        chownSync(base, NOBODY, NOBODY);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    }
    virsh("pool-refresh", env.ORQ_LIBVIRT_QEMU_POOL);
    return { ok: true };
  },
  driver: () =>
    new LibvirtDriver({
      providerId: "conformance-libvirt-qemu-backup",
      endpoint: env.ORQ_LIBVIRT_QEMU_URI,
      credentials: {},
      config: { storagePool: env.ORQ_LIBVIRT_QEMU_POOL, domainType: "qemu", stopTimeoutSeconds: 1 },
    }),
  spec: (machineId) => ({ machineId, name: "backup qemu", vcpu: 1, memoryMb: 64, diskGb: 1, diskTier: "SSD", templateRef: path.join(env.ORQ_LIBVIRT_QEMU_POOL_DIR, BASE) }),
  writeMarker: async (d, ref, text) => {
    await stopped(d, ref);
    const tmp = mkdtempSync(path.join(os.tmpdir(), "orq-marker-"));
    try {
      const buf = Buffer.alloc(MARKER_LEN);
      Buffer.from(text, "utf8").copy(buf);
      writeFileSync(path.join(tmp, "m"), buf);
      execFileSync("qemu-io", ["-f", "qcow2", "-c", `write -s ${path.join(tmp, "m")} ${MARKER_OFFSET} ${MARKER_LEN}`, diskOf(ref)], { stdio: "ignore" });
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
  readMarker: async (d, ref) => {
    await stopped(d, ref);
    // "00080000:  68 65 ... ascii" lines: the hex bytes are the marker.
    const dump = execFileSync("qemu-io", ["-f", "qcow2", "-r", "-c", `read -v ${MARKER_OFFSET} ${MARKER_LEN}`, diskOf(ref)], { encoding: "utf8" });
    const bytes = dump
      .split("\n")
      .filter((l) => /^[0-9a-f]{8}:/.test(l))
      .flatMap((l) => l.slice(10, 10 + 16 * 3).trim().split(/\s+/).map((h) => parseInt(h, 16)));
    if (bytes.length !== MARKER_LEN) throw new Error(`qemu-io read ${bytes.length} bytes`);
    const text = Buffer.from(bytes).toString("utf8").replace(/\0+$/, "");
    return text || null;
  },
  // Export copies still in the pool, and restore/import volumes no domain uses. Other suites'
  // base images share the pool (orquestra-boot-base, -seed-base, -vnc-base...): not leftovers.
  leftovers: async () => {
    const vols = virsh("vol-list", "--pool", env.ORQ_LIBVIRT_QEMU_POOL).split("\n").map((v) => v.trim().split(/\s+/)[0]).filter(Boolean);
    const used = new Set(virsh("list", "--all", "--name").split("\n").map((n) => n.trim()).filter(Boolean).map((n) => path.basename(diskOf(n))));
    return vols.filter((v) => v !== BASE && !/^orquestra-[\w-]+-base\.qcow2$/.test(v) && !used.has(v));
  },
});

it("the libvirt test driver does not offer native backup (its domains have no disks)", () => {
  const d = new LibvirtDriver({ providerId: "t", endpoint: "test+unix:///default?socket=/nonexistent", credentials: {}, config: {} });
  expect(d.capabilities.has("backup")).toBe(false);
  const q = new LibvirtDriver({ providerId: "q", endpoint: "qemu:///session", credentials: {}, config: {} });
  expect(q.capabilities.has("backup")).toBe(true);
});

// libvirt cloud-init (issue 16) against the real QEMU session libvirtd of the local backends:
// a machine provisioned with user data and a key boots with a NoCloud seed ISO (label cidata)
// stored as a volume beside its disk and attached as a read-only CD-ROM; its user-data and
// meta-data are read back from the ISO (downloaded through libvirt, read with isoinfo). The
// seed goes with the machine, and with a provision that fails after writing it (a define
// refused by a virsh wrapper: the fault point after the side effect). Skipped without the backend.
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { mergeCloudConfig } from "@/lib/access/cloud-config";
import { LibvirtDriver, seedVolumeName } from "@/lib/drivers/libvirt/libvirt-driver";
import { parseDomainXml } from "@/lib/drivers/libvirt/domain-xml";
import { safeName } from "@/lib/drivers/call";
import type { MachineSpec } from "@/lib/drivers/types";
import { requireEndpoints } from "./endpoints";

const found = requireEndpoints("libvirt QEMU session", ["ORQ_LIBVIRT_SOCKET", "ORQ_LIBVIRT_QEMU_URI", "ORQ_LIBVIRT_QEMU_POOL", "ORQ_LIBVIRT_QEMU_POOL_DIR"]);
const env = "values" in found ? found.values : {};
const BASE = "orquestra-seed-base.qcow2";
const NOBODY = 65534;
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPwRTcJQ3PM7srR3iaH6sgEqygr59vSTDSDO9VFXyCAZ alice@laptop";
const INSTALLATION = "00000000-0000-4000-8000-00000000c1c2";

let skip: string | null = null;
let tmp = "";

const virsh = (...args: string[]) => execFileSync("virsh", ["-c", env.ORQ_LIBVIRT_QEMU_URI, "-q", ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const volumeExists = (name: string) => {
  try {
    virsh("vol-info", "--pool", env.ORQ_LIBVIRT_QEMU_POOL, name);
    return true;
  } catch {
    return false;
  }
};
const domainExists = (name: string) => {
  try {
    virsh("domstate", "--domain", name);
    return true;
  } catch {
    return false;
  }
};

function make(extra: Record<string, unknown> = {}) {
  return new LibvirtDriver({
    providerId: "conformance-libvirt-seed",
    endpoint: env.ORQ_LIBVIRT_QEMU_URI,
    credentials: {},
    config: { storagePool: env.ORQ_LIBVIRT_QEMU_POOL, domainType: "qemu", stopTimeoutSeconds: 2, ...extra },
  });
}

function specFor(extra: Partial<MachineSpec> = {}): MachineSpec {
  const machineId = randomUUID();
  const userData = mergeCloudConfig({ userData: "#cloud-config\npackages:\n  - nginx\nruncmd:\n  - systemctl enable --now nginx\n", hostname: "seed-web", sshKeys: [KEY] });
  return { machineId, installationId: INSTALLATION, name: "seed-web", vcpu: 1, memoryMb: 64, diskGb: 1, diskTier: "SSD", templateRef: path.join(env.ORQ_LIBVIRT_QEMU_POOL_DIR, BASE), userData, sshKeys: [KEY], ...extra };
}

/** Removes whatever a test left (a failed provision should leave nothing: this is the safety net). */
function sweep(spec: MachineSpec) {
  const name = safeName(spec.name, spec.machineId, 50);
  if (domainExists(name)) {
    try {
      virsh("destroy", "--domain", name);
    } catch {
      /* not running */
    }
    virsh("undefine", "--domain", name, "--remove-all-storage");
  }
  for (const v of [`${name}.qcow2`, seedVolumeName(name)]) if (volumeExists(v)) virsh("vol-delete", "--pool", env.ORQ_LIBVIRT_QEMU_POOL, v);
}

/** The seed's files, downloaded through libvirt and read with isoinfo (genisoimage's companion). */
function readSeed(volume: string) {
  const file = path.join(tmp, `${volume}`);
  virsh("vol-download", "--pool", env.ORQ_LIBVIRT_QEMU_POOL, volume, file);
  const iso = (...args: string[]) => execFileSync("isoinfo", ["-i", file, ...args], { encoding: "utf8" });
  return { volumeId: /^Volume id:\s*(.*)$/m.exec(iso("-d"))?.[1]?.trim(), userData: iso("-R", "-x", "/user-data"), metaData: iso("-R", "-x", "/meta-data"), listing: iso("-R", "-f") };
}

describe("libvirt cloud-init seed (QEMU session)", () => {
  beforeAll(() => {
    if ("reason" in found) return void (skip = found.reason);
    if (!existsSync(env.ORQ_LIBVIRT_SOCKET)) return void (skip = `libvirt socket ${env.ORQ_LIBVIRT_SOCKET} is missing; run npm run backends:up`);
    for (const tool of ["genisoimage", "isoinfo"]) {
      try {
        execFileSync(tool, ["--version"], { stdio: "ignore" });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return void (skip = `${tool} is not installed (apt install genisoimage)`);
      }
    }
    tmp = mkdtempSync(path.join(os.tmpdir(), "orq-seed-test-"));
    // An empty 1 MiB base image: the test reads what the domain is given, not what it runs.
    const base = path.join(env.ORQ_LIBVIRT_QEMU_POOL_DIR, BASE);
    if (!existsSync(base)) {
      execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", base, "1M"]);
      chownSync(base, NOBODY, NOBODY);
    }
    virsh("pool-refresh", env.ORQ_LIBVIRT_QEMU_POOL);
  });
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const live = (name: string, fn: () => Promise<void>) =>
    it(name, { timeout: 90_000 }, async (ctx) => {
      if (skip) {
        if (process.env.CI) throw new Error(`CI requires the backend: ${skip}`);
        return ctx.skip(skip);
      }
      await fn();
    });

  live("provision with user data and a key: a cidata ISO beside the disk on a read-only CD-ROM; delete removes it", async () => {
    const d = make();
    const spec = specFor();
    try {
      expect(d.capabilities.has("cloudInit")).toBe(true);
      const m = await d.provision(spec, `k-${spec.machineId}`);
      const seed = seedVolumeName(m.ref);
      const seedPath = virsh("vol-path", "--pool", env.ORQ_LIBVIRT_QEMU_POOL, seed).trim();
      const diskPath = virsh("vol-path", "--pool", env.ORQ_LIBVIRT_QEMU_POOL, `${m.ref}.qcow2`).trim();
      expect(path.dirname(seedPath)).toBe(path.dirname(diskPath));

      // The running domain's XML, as libvirt gives it back.
      const xml = virsh("dumpxml", "--domain", m.ref);
      const cdrom = /<disk type='file' device='cdrom'>[\s\S]*?<\/disk>/.exec(xml)?.[0] ?? "";
      expect(cdrom).toContain(`<source file='${seedPath}'`);
      expect(cdrom).toMatch(/<target dev='sda' bus='sata'\/>/);
      expect(cdrom).toContain("<readonly/>");
      expect(parseDomainXml(xml)).toMatchObject({ diskPaths: [diskPath], cdromPaths: [seedPath] });
      expect(virsh("domstate", "--domain", m.ref).trim()).toBe("running");

      const iso = readSeed(seed);
      expect(iso.volumeId).toBe("cidata");
      expect(iso.listing.split("\n").map((l) => l.trim()).filter(Boolean).sort()).toEqual(["/meta-data", "/user-data"]);
      expect(iso.userData).toBe(spec.userData);
      expect(parse(iso.userData)).toMatchObject({ hostname: "seed-web", packages: ["nginx"], runcmd: ["systemctl enable --now nginx"], ssh_authorized_keys: [KEY] });
      expect(iso.metaData).toBe(`instance-id: ${spec.machineId}\nlocal-hostname: seed-web\n`);

      // A retried provision finds the domain: no second seed, the same one attached.
      expect((await d.provision(spec, `k-${spec.machineId}`)).ref).toBe(m.ref);
      expect(parseDomainXml(virsh("dumpxml", "--domain", m.ref)).cdromPaths).toEqual([seedPath]);

      await d.destroy(m.ref);
      expect(domainExists(m.ref)).toBe(false);
      expect(volumeExists(seed)).toBe(false);
      expect(volumeExists(`${m.ref}.qcow2`)).toBe(false);
      // Deleting again (a retried delete) is fine.
      await d.destroy(m.ref);
    } finally {
      await d.close();
      sweep(spec);
    }
  });

  live("keys without a document still get a seed; nothing to inject, no CD-ROM and no seed volume", async () => {
    const d = make();
    const keysOnly = specFor({ userData: null });
    const none = specFor({ userData: null, sshKeys: [] });
    try {
      const a = await d.provision(keysOnly, `k-${keysOnly.machineId}`);
      expect(parse(readSeed(seedVolumeName(a.ref)).userData)).toEqual({ hostname: "seed-web", preserve_hostname: false, ssh_authorized_keys: [KEY] });
      const b = await d.provision(none, `k-${none.machineId}`);
      expect(parseDomainXml(virsh("dumpxml", "--domain", b.ref)).cdromPaths).toEqual([]);
      expect(volumeExists(seedVolumeName(b.ref))).toBe(false);
      await d.destroy(a.ref);
      await d.destroy(b.ref);
      expect(volumeExists(seedVolumeName(a.ref))).toBe(false);
    } finally {
      await d.close();
      sweep(keysOnly);
      sweep(none);
    }
  });

  live("the seed was uploaded, then define fails: the provision fails and the seed volume is gone", async () => {
    // A virsh that refuses `define` and runs everything else: the fault after the side effect.
    const wrapper = path.join(tmp, "virsh-no-define");
    writeFileSync(wrapper, `#!/bin/sh\nfor a in "$@"; do if [ "$a" = define ]; then echo "error: injected fault: define refused" >&2; exit 1; fi; done\nexec virsh "$@"\n`);
    chmodSync(wrapper, 0o755);
    const uploads = path.join(tmp, "uploads.log");
    // Records the vol-upload calls, proving the seed was written before the failure.
    const logging = path.join(tmp, "virsh-logging");
    writeFileSync(logging, `#!/bin/sh\nfor a in "$@"; do if [ "$a" = vol-upload ]; then echo "$@" >> '${uploads}'; fi; done\nexec '${wrapper}' "$@"\n`);
    chmodSync(logging, 0o755);
    const d = make({ virshPath: logging });
    const spec = specFor();
    const name = safeName(spec.name, spec.machineId, 50);
    try {
      await expect(d.provision(spec, `k-${spec.machineId}`)).rejects.toMatchObject({ name: "DriverError", code: "PROVIDER", message: expect.stringContaining("define refused") });
      expect(readFileSync(uploads, "utf8")).toContain(seedVolumeName(name));
      expect(volumeExists(seedVolumeName(name))).toBe(false);
      // The disk overlay, made before the seed, goes too (it is no domain's).
      expect(volumeExists(`${name}.qcow2`)).toBe(false);
      expect(domainExists(name)).toBe(false);
    } finally {
      await d.close();
      sweep(spec);
    }
  });

  live("a disk and no seed, then define (or start) fails: no volume and no domain remain", async () => {
    // virsh wrappers that refuse one command and run everything else.
    const refusing = (cmd: string) => {
      const file = path.join(tmp, `virsh-no-${cmd}`);
      writeFileSync(file, `#!/bin/sh\nfor a in "$@"; do if [ "$a" = ${cmd} ]; then echo "error: injected fault: ${cmd} refused" >&2; exit 1; fi; done\nexec virsh "$@"\n`);
      chmodSync(file, 0o755);
      return file;
    };
    for (const cmd of ["define", "start"]) {
      const d = make({ virshPath: refusing(cmd) });
      const spec = specFor({ userData: null, sshKeys: [] });
      const name = safeName(spec.name, spec.machineId, 50);
      try {
        await expect(d.provision(spec, `k-${spec.machineId}`), cmd).rejects.toMatchObject({ name: "DriverError", message: expect.stringContaining(`${cmd} refused`) });
        virsh("pool-refresh", env.ORQ_LIBVIRT_QEMU_POOL);
        expect(volumeExists(`${name}.qcow2`), `${cmd}: overlay`).toBe(false);
        expect(domainExists(name), `${cmd}: domain`).toBe(false);
        // The same machine provisions on a working virsh afterwards (nothing in the way).
        const ok = make();
        try {
          const m = await ok.provision(spec, `k-${spec.machineId}`);
          expect(m.ref).toBe(name);
          await ok.destroy(m.ref);
        } finally {
          await ok.close();
        }
      } finally {
        await d.close();
        sweep(spec);
      }
    }
  });

  live("without genisoimage the provision fails with a typed error saying so, and leaves no seed", async () => {
    const d = make({ genisoimagePath: path.join(tmp, "no-genisoimage") });
    const spec = specFor();
    const name = safeName(spec.name, spec.machineId, 50);
    try {
      await expect(d.provision(spec, `k-${spec.machineId}`)).rejects.toMatchObject({ code: "UNSUPPORTED", retryable: false, message: expect.stringContaining("genisoimage is not installed") });
      expect(volumeExists(seedVolumeName(name))).toBe(false);
      expect(volumeExists(`${name}.qcow2`)).toBe(false);
      expect(domainExists(name)).toBe(false);
      // Nothing to inject: genisoimage is not needed.
      const plain = specFor({ userData: null, sshKeys: [] });
      const m = await d.provision(plain, `k-${plain.machineId}`);
      await d.destroy(m.ref);
    } finally {
      await d.close();
      sweep(spec);
    }
  });
});

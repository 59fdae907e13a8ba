// A libvirt provision that fails after a side effect leaves nothing behind: the disk overlay (and
// seed) made before a refused `define`, and the domain with its storage after a refused `start`.
// virsh is replaced by an in-memory libvirt (volumes, domains) that can refuse one command; the
// same faults on the real daemon: test/conformance/libvirt-seed.conformance.test.ts.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DriverError, type MachineSpec } from "../types";
import { LibvirtDriver } from "./libvirt-driver";

interface FakeVirsh {
  volumes: Set<string>;
  domains: Map<string, { xml: string; running: boolean }>;
  calls: string[];
}

/** A driver whose virsh is `fake`; `refuse(cmd)` answers the error for the command to refuse. */
function driverWith(fake: FakeVirsh, refuse: (cmd: string, args: string[]) => DriverError | "late" | null) {
  const d = new LibvirtDriver({ providerId: "p", endpoint: "qemu:///system", credentials: {}, config: { storagePool: "pool", domainType: "qemu" } });
  const notFound = (what: string) => new DriverError("NOT_FOUND", `libvirt ${what}: not found`, false);
  (d as unknown as { run: (args: string[]) => Promise<string> }).run = async (args: string[]) => {
    const cmd = args[0];
    fake.calls.push(cmd);
    const volumeArg = () => args[args.length - 1];
    const domainArg = () => args[args.indexOf("--domain") + 1];
    const refused = refuse(cmd, args);
    if (refused instanceof DriverError) throw refused;
    switch (cmd) {
      case "dumpxml": {
        const dom = fake.domains.get(domainArg());
        if (!dom) throw notFound("domain");
        return dom.xml;
      }
      case "domstate": {
        const dom = fake.domains.get(domainArg());
        if (!dom) throw notFound("domain");
        return dom.running ? "running\n" : "shut off\n";
      }
      case "vol-path":
      case "vol-info":
        if (!fake.volumes.has(volumeArg())) throw notFound("storage vol");
        return `/pool/${volumeArg()}\n`;
      case "vol-create-as":
        fake.volumes.add(args[args.indexOf("--name") + 1]);
        return "";
      case "vol-delete":
        if (!fake.volumes.delete(volumeArg())) throw notFound("storage vol");
        return "";
      case "define": {
        const xml = readFileSync(args[args.indexOf("--file") + 1], "utf8");
        fake.domains.set(/<name>([^<]+)<\/name>/.exec(xml)![1], { xml, running: false });
        // A define that took effect but answered after the deadline.
        if (refused === "late") throw new DriverError("TIMEOUT", "libvirt define timed out");
        return "";
      }
      case "start":
        fake.domains.get(domainArg())!.running = true;
        return "";
      case "destroy":
        fake.domains.get(domainArg())!.running = false;
        return "";
      case "undefine": {
        const name = domainArg();
        if (!fake.domains.delete(name)) throw notFound("domain");
        // --remove-all-storage: the disks the domain names.
        for (const v of [...fake.volumes]) if (v.startsWith(name)) fake.volumes.delete(v);
        return "";
      }
      default:
        throw new Error(`the fake virsh has no ${cmd}`);
    }
  };
  return d;
}

const spec = (): MachineSpec => ({
  machineId: "6f1d2c3b-4a59-4e7f-8a1b-2c3d4e5f6a7b",
  installationId: "00000000-0000-4000-8000-000000000001",
  name: "web",
  vcpu: 1,
  memoryMb: 256,
  diskGb: 1,
  diskTier: "SSD",
  templateRef: "/pool/base.qcow2",
  userData: null,
  sshKeys: [],
});
const fresh = (): FakeVirsh => ({ volumes: new Set(["base.qcow2"]), domains: new Map(), calls: [] });

describe("libvirt provision: created, then failed, leaves nothing", () => {
  it("the overlay was created, then define fails: the provision fails and the overlay is deleted; a retry works", async () => {
    const fake = fresh();
    let refuseDefine = true;
    const d = driverWith(fake, (cmd) => (cmd === "define" && refuseDefine ? new DriverError("PROVIDER", "libvirt define: XML error: injected", false) : null));
    await expect(d.provision(spec(), "k")).rejects.toMatchObject({ code: "PROVIDER", message: expect.stringContaining("injected") });
    // The overlay was made first (the side effect), then removed.
    expect(fake.calls.slice(0, fake.calls.indexOf("define"))).toContain("vol-create-as");
    expect(fake.calls.slice(fake.calls.indexOf("define"))).toContain("vol-delete");
    expect([...fake.volumes]).toEqual(["base.qcow2"]);
    expect(fake.domains.size).toBe(0);

    refuseDefine = false;
    const m = await d.provision(spec(), "k");
    expect(m.state).toBe("RUNNING");
    expect([...fake.volumes].sort()).toEqual(["base.qcow2", `${m.ref}.qcow2`]);
  });

  it("defined, then start fails: the domain and its disk go", async () => {
    const fake = fresh();
    const d = driverWith(fake, (cmd) => (cmd === "start" ? new DriverError("CAPACITY", "libvirt: cannot allocate memory", false) : null));
    await expect(d.provision(spec(), "k")).rejects.toMatchObject({ code: "CAPACITY" });
    expect(fake.calls).toContain("define");
    expect(fake.domains.size).toBe(0);
    expect([...fake.volumes]).toEqual(["base.qcow2"]);
  });

  it("a define that took effect but answered late keeps the disk: the domain uses it (a retry adopts it)", async () => {
    const fake = fresh();
    let late = true;
    const d = driverWith(fake, (cmd) => (cmd === "define" && late ? "late" : null));
    await expect(d.provision(spec(), "k")).rejects.toMatchObject({ code: "TIMEOUT" });
    expect(fake.domains.size).toBe(1);
    const [name] = [...fake.domains.keys()];
    expect(fake.volumes.has(`${name}.qcow2`)).toBe(true);
    late = false;
    expect((await d.provision(spec(), "k")).ref).toBe(name);
  });

  it("libvirt not answering after the failure: nothing is removed on a guess", async () => {
    const fake = fresh();
    let down = false;
    const d = driverWith(fake, (cmd) => {
      if (cmd === "define") {
        down = true;
        return new DriverError("UNAVAILABLE", "libvirt: failed to connect");
      }
      return down ? new DriverError("UNAVAILABLE", "libvirt: failed to connect") : null;
    });
    await expect(d.provision(spec(), "k")).rejects.toMatchObject({ code: "UNAVAILABLE" });
    expect(fake.volumes.size).toBe(2);
  });
});

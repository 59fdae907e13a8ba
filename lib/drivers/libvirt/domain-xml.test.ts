import { describe, expect, it } from "vitest";
import { buildDomainXml, mapLibvirtState, parseDomainXml, parseNodeInfo, parseSnapshotXml, parseVncDisplay, snapshotDescription } from "./domain-xml";
import { vncRoute } from "./vnc";
import { classifyVirshError } from "./libvirt-driver";

const input = {
  name: "web-1-abcdef12",
  machineId: "abcdef12-0000-4000-8000-000000000001",
  installationId: "11111111-2222-4333-8444-555555555555",
  idempotencyKey: "op-1",
  vcpu: 2,
  memoryMb: 512,
  diskPath: "/var/lib/libvirt/images/web-1.qcow2",
  domainType: "kvm",
};

describe("libvirt domain XML", () => {
  it("builds a domain from the spec and reads it back", () => {
    const xml = buildDomainXml(input);
    expect(xml).toContain('<domain type="kvm">');
    expect(xml).toContain('<driver name="qemu" type="qcow2"');
    const parsed = parseDomainXml(xml);
    expect(parsed).toMatchObject({
      name: input.name,
      machineId: input.machineId,
      installationId: input.installationId,
      idempotencyKey: "op-1",
      vcpu: 2,
      memoryMb: 512,
      diskPaths: [input.diskPath],
    });
  });

  it("attaches the cloud-init seed as a read-only SATA CD-ROM right after the system disk", () => {
    const seed = "/var/lib/libvirt/images/web-1-abcdef12-seed.iso";
    const xml = buildDomainXml({ ...input, seedIsoPath: seed });
    const disks = [...xml.matchAll(/<disk type="file" device="(\w+)">([\s\S]*?)<\/disk>/g)];
    expect(disks.map((m) => m[1])).toEqual(["disk", "cdrom"]);
    expect(disks[1][2]).toContain(`<source file="${seed}"`);
    expect(disks[1][2]).toContain('<target dev="sda" bus="sata"');
    expect(disks[1][2]).toContain("<readonly/>");
    expect(disks[1][2]).toContain('<driver name="qemu" type="raw"');
    // The system disk stays the first disk (backups and resize read diskPaths[0]); the seed is a CD-ROM.
    expect(parseDomainXml(xml)).toMatchObject({ diskPaths: [input.diskPath], cdromPaths: [seed] });
    // libvirt writes the CD-ROM back first sometimes (bus order): still not a disk.
    const back = `<domain type='kvm'><name>x</name><devices><disk type='file' device='cdrom'><source file='${seed}'/><target dev='sda' bus='sata'/><readonly/></disk><disk type='file' device='disk'><source file='/d.qcow2'/></disk></devices></domain>`;
    expect(parseDomainXml(back)).toMatchObject({ diskPaths: ["/d.qcow2"], cdromPaths: [seed] });
    // Without a seed: one disk, no CD-ROM.
    const plain = buildDomainXml(input);
    expect(plain).not.toContain("cdrom");
    expect(parseDomainXml(plain).cdromPaths).toEqual([]);
  });

  it("escapes names that contain XML characters", () => {
    const xml = buildDomainXml({ ...input, name: 'a<b&"c' });
    expect(parseDomainXml(xml).name).toBe('a<b&"c');
  });

  it("reads the ownership tags whatever prefix libvirt writes back, and memory in KiB", () => {
    const xml = `<domain type='kvm'><name>x</name><metadata><o:machine xmlns:o="https://orquestra.dev/xmlns/machine/1"><o:id>m-1</o:id><o:installation-id>i-1</o:installation-id></o:machine></metadata><memory unit='KiB'>1048576</memory><vcpu placement='static'>4</vcpu></domain>`;
    expect(parseDomainXml(xml)).toMatchObject({ machineId: "m-1", installationId: "i-1", memoryMb: 1024, vcpu: 4 });
    // A domain tagged before installation ids existed: the machine id alone.
    const old = `<domain><name>x</name><metadata><orq:machine xmlns:orq="https://orquestra.dev/xmlns/machine/1"><orq:id>m-2</orq:id></orq:machine></metadata></domain>`;
    expect(parseDomainXml(old)).toMatchObject({ machineId: "m-2", installationId: null });
    expect(parseDomainXml("<domain><name>y</name></domain>")).toMatchObject({ machineId: null, installationId: null });
    // Someone else's metadata in another namespace is not ours.
    const foreign = `<domain><name>z</name><metadata><o:machine xmlns:o="https://example.com/other"><o:id>m-3</o:id></o:machine></metadata></domain>`;
    expect(parseDomainXml(foreign)).toMatchObject({ machineId: null, installationId: null });
  });

  it("reads a snapshot's name, description and creation time", () => {
    const xml = `<domainsnapshot><name>daily</name><description>${snapshotDescription("daily", "op-9")}</description><state>running</state><creationTime>1764669600</creationTime><memory snapshot='internal'/></domainsnapshot>`;
    expect(parseSnapshotXml(xml)).toEqual({ name: "daily", description: "Taken by Orquestra: daily (idempotency key op-9)", createdAt: new Date(1764669600 * 1000) });
    expect(parseSnapshotXml("<domainsnapshot><name>x</name></domainsnapshot>")).toEqual({ name: "x", description: undefined, createdAt: undefined });
    expect(() => parseSnapshotXml("<domain><name>x</name></domain>")).toThrow();
    expect(snapshotDescription("n", undefined)).toBe("Taken by Orquestra: n");
  });

  it("rejects documents that are not domains", () => {
    expect(() => parseDomainXml("<network><name>x</name></network>")).toThrow();
    expect(() => parseDomainXml("garbage")).toThrow();
  });

  it("maps virsh states", () => {
    expect(mapLibvirtState("running\n")).toBe("RUNNING");
    expect(mapLibvirtState("shut off")).toBe("STOPPED");
    expect(mapLibvirtState("paused")).toBe("PAUSED");
    expect(mapLibvirtState("in shutdown")).toBe("PENDING");
    expect(mapLibvirtState("crashed")).toBe("ERROR");
    expect(mapLibvirtState("weird")).toBe("UNKNOWN");
  });

  it("parses nodeinfo", () => {
    expect(parseNodeInfo("CPU model:           x86_64\nCPU(s):              16\nMemory size:         8388608 KiB\n")).toEqual({ cpus: 16, memoryMb: 8192 });
    expect(() => parseNodeInfo("nonsense")).toThrow();
  });

  it("classifies virsh errors", () => {
    expect(classifyVirshError("error: failed to get domain 'x'", "get").code).toBe("NOT_FOUND");
    expect(classifyVirshError("error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/x': No such file or directory", "v").code).toBe("UNAVAILABLE");
    expect(classifyVirshError("error: failed to connect to the hypervisor\nerror: Unable to decode message header", "v").code).toBe("PROVIDER");
    expect(classifyVirshError("error: authentication failed: Failed to verify peer's certificate", "v").code).toBe("AUTH");
    expect(classifyVirshError("error: Cannot allocate memory", "start").code).toBe("CAPACITY");
  });
});

describe("libvirt VNC display", () => {
  it("defines every domain with a VNC display on the loopback, port chosen by libvirt", () => {
    const xml = buildDomainXml(input);
    expect(xml).toMatch(/<graphics type="vnc" autoport="yes" listen="127\.0\.0\.1">\s*<listen type="address" address="127\.0\.0\.1"/);
    // Not started yet: no port, so no display to reach.
    expect(parseVncDisplay(xml)).toBeNull();
  });

  it("with a password the display asks for it (a random one at define time, nobody keeps it)", () => {
    const xml = buildDomainXml({ ...input, vncPassword: "Zx8-k_Q2" });
    expect(xml).toMatch(/<graphics type="vnc" autoport="yes" listen="127\.0\.0\.1" passwd="Zx8-k_Q2">\s*<listen type="address" address="127\.0\.0\.1"/);
  });

  it("reads the display of a running domain from its live XML: address and port, or a unix socket", () => {
    const live = (graphics: string) => `<domain type='qemu'><name>x</name><devices><graphics type='spice' port='5901'/>${graphics}</devices></domain>`;
    expect(parseVncDisplay(live(`<graphics type='vnc' port='5903' autoport='yes' listen='127.0.0.1'><listen type='address' address='127.0.0.1'/></graphics>`))).toEqual({ host: "127.0.0.1", port: 5903 });
    expect(parseVncDisplay(live(`<graphics type='vnc' port='5904' autoport='yes'><listen type='address' address='0.0.0.0'/></graphics>`))).toEqual({ host: "127.0.0.1", port: 5904 });
    expect(parseVncDisplay(live(`<graphics type='vnc' port='5905' listen='10.0.0.5'/>`))).toEqual({ host: "10.0.0.5", port: 5905 });
    expect(parseVncDisplay(live(`<graphics type='vnc' socket='/run/vnc.sock'><listen type='socket' socket='/run/vnc.sock'/></graphics>`))).toEqual({ socket: "/run/vnc.sock" });
    // Not running (port -1), no VNC at all, a port out of range: nothing to connect to.
    expect(parseVncDisplay(live(`<graphics type='vnc' port='-1' autoport='yes'/>`))).toBeNull();
    expect(parseVncDisplay(live(""))).toBeNull();
    expect(parseVncDisplay(live(`<graphics type='vnc' port='70000'/>`))).toBeNull();
    expect(() => parseVncDisplay("<nope/>")).toThrow(/not a libvirt domain/);
    expect(() => parseVncDisplay("<domain><name>x<")).toThrow();
  });
});

describe("libvirt VNC route", () => {
  const tcp = { host: "127.0.0.1", port: 5900 };
  it("connects directly to a local hypervisor's display", () => {
    expect(vncRoute("qemu:///system", tcp)).toEqual({ kind: "direct", display: tcp });
    expect(vncRoute("qemu+unix:///session?socket=/tmp/s", { socket: "/tmp/v.sock" })).toEqual({ kind: "direct", display: { socket: "/tmp/v.sock" } });
    expect(vncRoute("qemu+tcp://localhost/system", tcp)).toEqual({ kind: "direct", display: tcp });
  });

  it("tunnels to a remote hypervisor's loopback through ssh -W, never through a shell", () => {
    const r = vncRoute("qemu+ssh://ops@kvm01.example.com:2222/system?keyfile=/etc/orq/id_ed25519", { host: "127.0.0.1", port: 5907 });
    expect(r.kind).toBe("ssh");
    const args = (r as { args: string[] }).args;
    expect(args.slice(-4)).toEqual(["-W", "127.0.0.1:5907", "--", "kvm01.example.com"]);
    expect(args).toEqual(expect.arrayContaining(["BatchMode=yes", "-p", "2222", "-l", "ops", "-i", "/etc/orq/id_ed25519"]));
    // A host that looks like an option is no host (and ssh gets it after "--" anyway).
    expect(vncRoute("qemu+ssh://-oProxyCommand=x/system", tcp)).toMatchObject({ kind: "none" });
  });

  it("says why a display cannot be reached", () => {
    expect(vncRoute("qemu+tls://kvm01.example.com/system", tcp)).toMatchObject({ kind: "none", reason: expect.stringMatching(/qemu\+ssh/) });
    expect(vncRoute("qemu+ssh://kvm01/system", { socket: "/run/v.sock" })).toMatchObject({ kind: "none" });
    expect(vncRoute("qemu+tcp://kvm01/system", { host: "10.0.0.5", port: 5900 })).toEqual({ kind: "direct", display: { host: "10.0.0.5", port: 5900 } });
    expect(vncRoute("not a uri", tcp)).toMatchObject({ kind: "none" });
  });
});

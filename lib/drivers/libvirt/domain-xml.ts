// Building and reading libvirt domain XML (pure; unit-tested). The domain carries Orquestra's
// ownership tags (machine id, installation id) and the provision's idempotency key in its
// <metadata>, in Orquestra's own XML namespace, so libvirt keeps them as they are.
import { XMLBuilder, XMLParser } from "fast-xml-parser";
import type { DriverMachineState } from "../types";

export const METADATA_NS = "https://orquestra.dev/xmlns/machine/1";

export interface DomainXmlInput {
  name: string;
  machineId: string;
  installationId: string;
  idempotencyKey: string;
  vcpu: number;
  memoryMb: number;
  /** Path of the copy-on-write overlay disk (qcow2). */
  diskPath: string;
  /** libvirt domain type: kvm, qemu (TCG) or test. */
  domainType: string;
  /** Optional file receiving the serial console (boot diagnostics). */
  serialLogPath?: string;
  /** The NoCloud seed (ISO labelled cidata: user-data, meta-data), attached as a read-only CD-ROM. */
  seedIsoPath?: string;
  /**
   * The VNC display's password at start (8 characters, vnc-auth.ts): a random one nobody keeps,
   * so the display takes no connection until a console session sets its own one-time password
   * (LibvirtDriver.openConsole). QEMU only accepts a password later when it started with one.
   */
  vncPassword?: string;
}

export function buildDomainXml(d: DomainXmlInput): string {
  const devices: Record<string, unknown> = {
    disk: {
      "@_type": "file",
      "@_device": "disk",
      driver: { "@_name": "qemu", "@_type": "qcow2" },
      source: { "@_file": d.diskPath },
      target: { "@_dev": "vda", "@_bus": "virtio" },
    },
  };
  // The cloud-init seed, right after the system disk: SATA (an AHCI controller exists, or is
  // added by libvirt, on both the pc and q35 machine types; q35 has no IDE).
  if (d.seedIsoPath) devices.disk = [devices.disk, seedCdrom(d.seedIsoPath)];
  if (d.serialLogPath) {
    devices.serial = { "@_type": "file", source: { "@_path": d.serialLogPath }, target: { "@_port": "0" } };
  }
  // The browser console's screen (a VNC display; libvirt adds the video card it needs).
  devices.graphics = d.vncPassword ? { ...VNC_GRAPHICS, "@_passwd": d.vncPassword } : VNC_GRAPHICS;
  const doc = {
    domain: {
      "@_type": d.domainType,
      name: d.name,
      metadata: {
        "orq:machine": {
          "@_xmlns:orq": METADATA_NS,
          "orq:id": d.machineId,
          "orq:installation-id": d.installationId,
          "orq:idempotency-key": d.idempotencyKey,
        },
      },
      memory: { "@_unit": "MiB", "#text": String(d.memoryMb) },
      currentMemory: { "@_unit": "MiB", "#text": String(d.memoryMb) },
      vcpu: { "@_placement": "static", "#text": String(d.vcpu) },
      os: { type: { "@_arch": "x86_64", "#text": "hvm" }, boot: { "@_dev": "hd" } },
      features: { acpi: "" },
      on_poweroff: "destroy",
      on_reboot: "restart",
      on_crash: "destroy",
      devices,
    },
  };
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", format: true, suppressEmptyNode: true });
  return builder.build(doc) as string;
}

/** The read-only CD-ROM carrying the NoCloud seed. */
export function seedCdrom(isoPath: string): Record<string, unknown> {
  return {
    "@_type": "file",
    "@_device": "cdrom",
    driver: { "@_name": "qemu", "@_type": "raw" },
    source: { "@_file": isoPath },
    target: { "@_dev": "sda", "@_bus": "sata" },
    readonly: "",
  };
}

/**
 * A VNC display on the hypervisor's loopback only, its port picked by libvirt when the domain
 * starts: the console reaches it through the hypervisor (locally, or an SSH tunnel for
 * qemu+ssh://), never from the network.
 */
export const VNC_GRAPHICS = { "@_type": "vnc", "@_autoport": "yes", "@_listen": "127.0.0.1", listen: { "@_type": "address", "@_address": "127.0.0.1" } } as const;

/** Where a running domain's VNC display listens (from its live XML). */
export type VncDisplay = { socket: string } | { host: string; port: number };

/**
 * Reads the VNC display of a domain from its live XML (`virsh dumpxml` without --inactive):
 * a unix socket or an address and port. Null when the domain has no VNC display, or it has
 * no port (autoport before the domain runs: port -1).
 */
export function parseVncDisplay(xml: string): VncDisplay | null {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", parseTagValue: false, isArray: (name) => name === "graphics" || name === "listen" });
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml, true) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`not XML: ${(err as Error).message}`);
  }
  const dom = doc.domain as Record<string, unknown> | undefined;
  if (!dom || typeof dom !== "object") throw new Error("not a libvirt domain document");
  const all = ((dom.devices as Record<string, unknown> | undefined)?.graphics as Record<string, unknown>[] | undefined) ?? [];
  const vnc = all.find((g) => g && typeof g === "object" && g["@_type"] === "vnc");
  if (!vnc) return null;
  const listens = (Array.isArray(vnc.listen) ? vnc.listen : []) as Record<string, unknown>[];
  const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);
  const socket = str(vnc["@_socket"]) ?? listens.map((l) => (l["@_type"] === "socket" ? str(l["@_socket"]) : undefined)).find(Boolean);
  if (socket) return { socket };
  const port = Number(vnc["@_port"]);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return null;
  const address = str(vnc["@_listen"]) ?? listens.map((l) => (l["@_type"] === "address" ? str(l["@_address"]) : undefined)).find(Boolean);
  // Listening on every address: the hypervisor's own loopback reaches it.
  const host = !address || address === "0.0.0.0" || address === "::" ? "127.0.0.1" : address;
  return { host, port };
}

export interface ParsedDomain {
  name: string;
  uuid?: string;
  machineId: string | null;
  installationId: string | null;
  idempotencyKey: string | null;
  vcpu?: number;
  memoryMb?: number;
  /** The domain's disks (not its CD-ROMs), in document order: the first is the system disk. */
  diskPaths: string[];
  /** Files in its CD-ROM drives (the cloud-init seed). */
  cdromPaths: string[];
}

const UNIT_TO_MIB: Record<string, number> = { b: 1 / 1024 ** 2, bytes: 1 / 1024 ** 2, KiB: 1 / 1024, k: 1 / 1024, MiB: 1, M: 1, GiB: 1024, G: 1024, KB: 1000 / 1024 ** 2, MB: 1e6 / 1024 ** 2, GB: 1e9 / 1024 ** 2 };

/** Reads what the driver needs from `virsh dumpxml`; throws on anything that is not a domain. */
export function parseDomainXml(xml: string): ParsedDomain {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", removeNSPrefix: false, parseTagValue: false, isArray: (name) => name === "disk" });
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml, true) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`not XML: ${(err as Error).message}`);
  }
  const dom = doc.domain as Record<string, unknown> | undefined;
  if (!dom || typeof dom.name !== "string") throw new Error("not a libvirt domain document");
  const meta = dom.metadata as Record<string, unknown> | undefined;
  let machineId: string | null = null;
  let installationId: string | null = null;
  let idempotencyKey: string | null = null;
  if (meta && typeof meta === "object") {
    // The prefix libvirt writes back may differ from ours: match on the namespace URI.
    for (const [key, value] of Object.entries(meta)) {
      if (!value || typeof value !== "object") continue;
      const v = value as Record<string, unknown>;
      const nsAttr = Object.entries(v).find(([k]) => k.startsWith("@_xmlns"));
      if (!nsAttr || nsAttr[1] !== METADATA_NS) continue;
      const prefix = key.includes(":") ? key.split(":")[0] + ":" : "";
      const field = (name: string) => {
        const value = v[`${prefix}${name}`];
        return typeof value === "string" && value ? value : null;
      };
      machineId = field("id");
      installationId = field("installation-id");
      idempotencyKey = field("idempotency-key");
    }
  }
  const text = (node: unknown): string | undefined =>
    typeof node === "string" ? node : node && typeof node === "object" ? ((node as Record<string, unknown>)["#text"] as string | undefined) : undefined;
  const memNode = dom.memory as Record<string, unknown> | string | undefined;
  const memValue = Number(text(memNode));
  const memUnit = (memNode && typeof memNode === "object" ? (memNode["@_unit"] as string) : undefined) ?? "KiB";
  const vcpu = Number(text(dom.vcpu));
  const disks = ((dom.devices as Record<string, unknown> | undefined)?.disk as Record<string, unknown>[] | undefined) ?? [];
  const files = (device: (d: Record<string, unknown>) => boolean) =>
    disks
      .filter(device)
      .map((d) => (d.source as Record<string, string> | undefined)?.["@_file"])
      .filter((p): p is string => typeof p === "string");
  const isCdrom = (d: Record<string, unknown>) => d["@_device"] === "cdrom" || d["@_device"] === "floppy";
  const diskPaths = files((d) => !isCdrom(d));
  const cdromPaths = files((d) => d["@_device"] === "cdrom");
  return {
    name: dom.name,
    uuid: typeof dom.uuid === "string" ? dom.uuid : undefined,
    machineId,
    installationId,
    idempotencyKey,
    vcpu: Number.isFinite(vcpu) && vcpu > 0 ? vcpu : undefined,
    memoryMb: Number.isFinite(memValue) && UNIT_TO_MIB[memUnit] ? Math.round(memValue * UNIT_TO_MIB[memUnit]) : undefined,
    diskPaths,
    cdromPaths,
  };
}

/** `virsh domstate` words into Orquestra's states. */
export function mapLibvirtState(state: string): DriverMachineState {
  switch (state.trim().toLowerCase()) {
    case "running":
    case "idle":
    case "blocked":
    case "no state":
      return "RUNNING";
    case "paused":
    case "pmsuspended":
      return "PAUSED";
    case "shut off":
      return "STOPPED";
    case "in shutdown":
      return "PENDING";
    case "crashed":
      return "ERROR";
    default:
      return "UNKNOWN";
  }
}

/** `virsh nodeinfo` -> cpus and memory (KiB in the output). */
export function parseNodeInfo(text: string): { cpus: number; memoryMb: number } {
  const cpus = Number(/^CPU\(s\):\s*(\d+)/m.exec(text)?.[1]);
  const memKiB = Number(/^Memory size:\s*(\d+)\s*KiB/m.exec(text)?.[1]);
  if (!Number.isFinite(cpus) || !Number.isFinite(memKiB) || cpus <= 0) throw new Error("unrecognised nodeinfo output");
  return { cpus, memoryMb: Math.floor(memKiB / 1024) };
}

/** A snapshot's description carrying the idempotency key of the call that took it. */
export function snapshotDescription(name: string, idempotencyKey: string | undefined): string {
  return `Taken by Orquestra: ${name}${idempotencyKey ? ` (idempotency key ${idempotencyKey})` : ""}`;
}

export interface ParsedSnapshot {
  name: string;
  description?: string;
  createdAt?: Date;
}

/** Reads `virsh snapshot-dumpxml`: the name, description and creation time. */
export function parseSnapshotXml(xml: string): ParsedSnapshot {
  const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false });
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml, true) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`not XML: ${(err as Error).message}`);
  }
  const snap = doc.domainsnapshot as Record<string, unknown> | undefined;
  if (!snap || typeof snap.name !== "string") throw new Error("not a libvirt snapshot document");
  const created = Number(snap.creationTime);
  return {
    name: snap.name,
    description: typeof snap.description === "string" ? snap.description : undefined,
    createdAt: Number.isFinite(created) && created > 0 ? new Date(created * 1000) : undefined,
  };
}

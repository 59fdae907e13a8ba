// vim25 data objects the vSphere driver sends, each written in its WSDL element order
// (vCenter rejects out-of-order elements). Pure functions, unit-tested in soap.test.ts.
import type { MachineSpec } from "../types";
import { at, bool, kid, kids, mor, morOf, num, text, typed, typedText, type MoRef, type XmlFields, type XmlValue, type XNode } from "./soap";

/** extraConfig keys Orquestra puts on the VMs it creates (the ownership tags and the provision's key). */
export const MACHINE_ID_KEY = "orquestra.machineId";
export const INSTALLATION_ID_KEY = "orquestra.installationId";
export const IDEMPOTENCY_KEY = "orquestra.idempotencyKey";
/**
 * Lines in the annotation (Notes) that carry the ownership tags too: for people looking at the
 * VM, and for VMs whose extraConfig was stripped (an OVF export and import keeps the Notes).
 */
export const ANNOTATION_PREFIX = "orquestra.machineId=";
export const ANNOTATION_INSTALLATION_PREFIX = "orquestra.installationId=";

export interface Ownership {
  machineId: string | null;
  installationId: string | null;
}

/** The VM's Notes: human text plus the ownership lines. */
export function annotationFor(owner: { machineId: string; installationId: string }, name: string): string {
  return `Managed by Orquestra (${name}).\n${ANNOTATION_PREFIX}${owner.machineId}\n${ANNOTATION_INSTALLATION_PREFIX}${owner.installationId}`;
}

/** The ownership tags carried by an annotation (null where a line is absent). */
export function ownershipFromAnnotation(annotation: string | undefined): Ownership {
  const lines = (annotation ?? "").split(/\r?\n/).map((l) => l.trim());
  const value = (prefix: string) => lines.find((l) => l.startsWith(prefix))?.slice(prefix.length).trim() || null;
  return { machineId: value(ANNOTATION_PREFIX), installationId: value(ANNOTATION_INSTALLATION_PREFIX) };
}

/** The machine id carried by an annotation, if any. */
export function machineIdFromAnnotation(annotation: string | undefined): string | null {
  return ownershipFromAnnotation(annotation).machineId;
}

/** A VM's ownership tags: extraConfig first, then its Notes (each tag on its own). */
export function ownershipOf(extraConfig: Record<string, string>, annotation: string | undefined): Ownership {
  const notes = ownershipFromAnnotation(annotation);
  return {
    machineId: extraConfig[MACHINE_ID_KEY] || notes.machineId,
    installationId: extraConfig[INSTALLATION_ID_KEY] || notes.installationId,
  };
}

const optionValue = (key: string, value: string): XmlFields => typed("OptionValue", { key, value: typedText("xsd:string", value) });

/** The inventory paths the driver reads from a VirtualMachine. */
export const VM_PATHS = [
  "name",
  "runtime.powerState",
  "runtime.host",
  "config.template",
  "config.hardware.numCPU",
  "config.hardware.memoryMB",
  "config.extraConfig",
  "config.annotation",
  "summary.storage.committed",
  "summary.storage.uncommitted",
  "guest.ipAddress",
  "guest.toolsRunningStatus",
] as const;

/**
 * A PropertyFilterSpec reading `paths` of every object a ContainerView shows (the view is
 * skipped, its "view" property traversed), or of one object when `view` is not a ContainerView.
 */
export function filterSpec(type: string, paths: readonly string[], obj: MoRef): XmlFields {
  const viaView = obj.type === "ContainerView";
  return {
    propSet: [{ type, all: false, pathSet: [...paths] }],
    objectSet: [
      {
        obj: mor(obj),
        skip: viaView,
        selectSet: viaView ? [typed("TraversalSpec", { name: "traverseView", type: "ContainerView", path: "view", skip: false })] : undefined,
      },
    ],
  };
}

/** The arguments of RetrievePropertiesEx. */
export function retrieveArgs(specs: XmlFields[], maxObjects = 500): Record<string, XmlValue> {
  return { specSet: specs, options: { maxObjects } };
}

/**
 * Cloud-init's VMware datasource (guestinfo): the user data and a metadata document naming the
 * instance (a new instance-id per machine, so cloud-init runs on a clone of a template that
 * already ran it), both base64 with their encoding keys.
 */
export const GUESTINFO_USERDATA = "guestinfo.userdata";
export const GUESTINFO_METADATA = "guestinfo.metadata";

export function guestinfoCloudInit(spec: Pick<MachineSpec, "machineId" | "name" | "userData">): XmlFields[] {
  if (!spec.userData) return [];
  const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
  const hostname = spec.name.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 63) || "machine";
  return [
    optionValue(GUESTINFO_METADATA, b64(`instance-id: ${spec.machineId}\nlocal-hostname: ${hostname}\n`)),
    optionValue(`${GUESTINFO_METADATA}.encoding`, "base64"),
    optionValue(GUESTINFO_USERDATA, b64(spec.userData)),
    optionValue(`${GUESTINFO_USERDATA}.encoding`, "base64"),
  ];
}

/** The Orquestra-specific part of a VM's config: size, Notes and the ownership markers. */
export function configSpec(
  spec: Pick<MachineSpec, "machineId" | "installationId" | "name" | "vcpu" | "memoryMb" | "userData">,
  idempotencyKey: string,
  deviceChange?: XmlFields[],
): XmlFields {
  return {
    annotation: annotationFor(spec, spec.name),
    numCPUs: spec.vcpu,
    memoryMB: spec.memoryMb,
    deviceChange: deviceChange?.length ? deviceChange : undefined,
    extraConfig: [
      optionValue(MACHINE_ID_KEY, spec.machineId),
      optionValue(INSTALLATION_ID_KEY, spec.installationId),
      optionValue(IDEMPOTENCY_KEY, idempotencyKey),
      ...guestinfoCloudInit(spec),
    ],
  };
}

/** A ReconfigVM_Task spec that changes CPU and memory. */
export function resizeSpec(size: { vcpu: number; memoryMb: number }): XmlFields {
  return { numCPUs: size.vcpu, memoryMB: size.memoryMb };
}

export interface Placement {
  folder: MoRef;
  /** Device changes for the new VM (its network card on the configured port group). */
  deviceChange?: XmlFields[];
  pool?: MoRef;
  datastore?: MoRef;
  host?: MoRef;
}

/** The arguments of CloneVM_Task (after _this, the template VM). */
export function cloneArgs(name: string, spec: MachineSpec, idempotencyKey: string, place: Placement): Record<string, XmlValue> {
  return {
    folder: mor(place.folder),
    name,
    spec: {
      location: {
        datastore: place.datastore ? mor(place.datastore) : undefined,
        pool: place.pool ? mor(place.pool) : undefined,
        host: place.host ? mor(place.host) : undefined,
      },
      template: false,
      config: configSpec(spec, idempotencyKey, place.deviceChange),
      // The driver powers the clone on itself (after its size is checked); some servers ignore this flag.
      powerOn: false,
    },
  };
}

/** The arguments of CreateVM_Task (after _this, the folder): a VM with one thin disk on a SCSI controller. */
export function createVmArgs(
  name: string,
  guestId: string,
  spec: MachineSpec,
  idempotencyKey: string,
  place: Placement & { pool: MoRef; datastoreName: string },
): Record<string, XmlValue> {
  const base = configSpec(spec, idempotencyKey);
  const controllerKey = -100;
  const devices: XmlFields[] = [
    {
      operation: "add",
      device: typed("VirtualLsiLogicController", { key: controllerKey, busNumber: 0, sharedBus: "noSharing" }),
    },
  ];
  if (spec.diskGb > 0) {
    devices.push({
      operation: "add",
      fileOperation: "create",
      device: typed("VirtualDisk", {
        key: -101,
        backing: typed("VirtualDiskFlatVer2BackingInfo", {
          fileName: `[${place.datastoreName}]`,
          datastore: place.datastore ? mor(place.datastore) : undefined,
          diskMode: "persistent",
          thinProvisioned: true,
        }),
        controllerKey,
        unitNumber: 0,
        capacityInKB: Math.round(spec.diskGb * 1024 * 1024),
      }),
    });
  }
  return {
    config: {
      name,
      guestId,
      annotation: base.annotation,
      files: { vmPathName: `[${place.datastoreName}]` },
      numCPUs: spec.vcpu,
      memoryMB: spec.memoryMb,
      deviceChange: [...devices, ...(place.deviceChange ?? [])],
      extraConfig: base.extraConfig,
    },
    pool: mor(place.pool),
    host: place.host ? mor(place.host) : undefined,
  };
}

/** What a template reference asks for: clone the named VM, or create one with a guest OS id. */
export function parseTemplateRef(ref: string): { kind: "clone"; name: string } | { kind: "create"; guestId: string } {
  const r = ref.trim();
  const m = /^create:([A-Za-z0-9_]+)$/.exec(r);
  if (m) return { kind: "create", guestId: m[1] };
  return { kind: "clone", name: r };
}

/** A virtual disk as read from config.hardware.device. */
export interface DiskDevice {
  key: number;
  controllerKey?: number;
  unitNumber?: number;
  capacityKb: number;
  label?: string;
  summary?: string;
  backingType: string;
  fileName: string;
  diskMode: string;
  datastore?: MoRef;
  thinProvisioned?: boolean;
}

/** The VirtualDisk devices of an ArrayOfVirtualDevice. */
export function disksOf(devices: XNode | undefined): DiskDevice[] {
  return kids(devices, "VirtualDevice")
    .filter((d) => d.xsiType === "VirtualDisk")
    .map((d) => {
      const backing = kid(d, "backing");
      return {
        key: num(kid(d, "key")) ?? 0,
        controllerKey: num(kid(d, "controllerKey")),
        unitNumber: num(kid(d, "unitNumber")),
        capacityKb: num(kid(d, "capacityInKB")) ?? 0,
        label: text(at(d, "deviceInfo", "label")),
        summary: text(at(d, "deviceInfo", "summary")),
        backingType: backing?.xsiType ?? "VirtualDiskFlatVer2BackingInfo",
        fileName: text(kid(backing, "fileName")) ?? "",
        diskMode: text(kid(backing, "diskMode")) || "persistent",
        datastore: morOf(kid(backing, "datastore")),
        thinProvisioned: bool(kid(backing, "thinProvisioned")),
      };
    })
    .filter((d) => d.key > 0);
}

/** A ReconfigVM_Task spec growing one disk to `capacityKb` (vSphere cannot shrink a disk). */
export function growDiskSpec(disk: DiskDevice, capacityKb: number): XmlFields {
  return {
    deviceChange: [
      {
        operation: "edit",
        device: typed("VirtualDisk", {
          key: disk.key,
          deviceInfo: typed("Description", { label: disk.label ?? `Hard disk ${disk.unitNumber ?? 0}`, summary: disk.summary ?? "" }),
          backing: typed(disk.backingType, {
            fileName: disk.fileName,
            datastore: disk.datastore ? mor(disk.datastore) : undefined,
            diskMode: disk.diskMode,
            thinProvisioned: disk.backingType === "VirtualDiskFlatVer2BackingInfo" ? disk.thinProvisioned : undefined,
          }),
          controllerKey: disk.controllerKey,
          unitNumber: disk.unitNumber,
          capacityInKB: capacityKb,
        }),
      },
    ],
  };
}

/** The port group a VM's network card connects to: a standard one, or a distributed one. */
export type NetworkBacking = { kind: "standard"; name: string; ref: MoRef } | { kind: "distributed"; switchUuid: string; portgroupKey: string };

export function nicBacking(n: NetworkBacking): XmlFields {
  return n.kind === "standard"
    ? typed("VirtualEthernetCardNetworkBackingInfo", { deviceName: n.name, network: mor(n.ref) })
    : typed("VirtualEthernetCardDistributedVirtualPortBackingInfo", { port: { switchUuid: n.switchUuid, portgroupKey: n.portgroupKey } });
}

/** A network card as read from config.hardware.device. */
export interface NicDevice {
  key: number;
  type: string;
  label?: string;
  summary?: string;
  controllerKey?: number;
  unitNumber?: number;
  addressType?: string;
  macAddress?: string;
}

const NIC_TYPES = /^Virtual(E1000e?|Vmxnet[23]?|PCNet32|SriovEthernetCard|VmxnetRdma)$/;

export function nicsOf(devices: XNode | undefined): NicDevice[] {
  return kids(devices, "VirtualDevice")
    .filter((d) => NIC_TYPES.test(d.xsiType ?? ""))
    .map((d) => ({
      key: num(kid(d, "key")) ?? 0,
      type: d.xsiType ?? "VirtualVmxnet3",
      label: text(at(d, "deviceInfo", "label")),
      summary: text(at(d, "deviceInfo", "summary")),
      controllerKey: num(kid(d, "controllerKey")),
      unitNumber: num(kid(d, "unitNumber")),
      addressType: text(kid(d, "addressType")),
      macAddress: text(kid(d, "macAddress")),
    }));
}

const connected = { startConnected: true, allowGuestControl: true, connected: true };

/** A deviceChange entry moving an existing card to another port group (its MAC address kept). */
export function nicEdit(nic: NicDevice, backing: NetworkBacking): XmlFields {
  return {
    operation: "edit",
    device: typed(nic.type, {
      key: nic.key,
      deviceInfo: typed("Description", { label: nic.label ?? "Network adapter 1", summary: nic.summary ?? "" }),
      backing: nicBacking(backing),
      connectable: connected,
      controllerKey: nic.controllerKey,
      unitNumber: nic.unitNumber,
      addressType: nic.addressType,
      macAddress: nic.macAddress,
    }),
  };
}

/** A deviceChange entry adding a vmxnet3 card on a port group. */
export function nicAdd(backing: NetworkBacking): XmlFields {
  return { operation: "add", device: typed("VirtualVmxnet3", { key: -102, backing: nicBacking(backing), connectable: connected, addressType: "generated" }) };
}

/** One snapshot of a VM's snapshot tree (the `snapshot` property, VirtualMachineSnapshotInfo). */
export interface SnapshotNode {
  ref: string;
  name: string;
  description: string;
  createdAt?: Date;
}

/** Every snapshot in a VirtualMachineSnapshotInfo, depth first (parents before children). */
export function snapshotsOf(info: XNode | undefined): SnapshotNode[] {
  const out: SnapshotNode[] = [];
  const walk = (trees: XNode[]) => {
    for (const t of trees) {
      const ref = morOf(kid(t, "snapshot"));
      const name = text(kid(t, "name"));
      if (ref && name !== undefined) {
        const created = text(kid(t, "createTime"));
        const at = created ? new Date(created) : undefined;
        out.push({ ref: ref.value, name, description: text(kid(t, "description")) ?? "", createdAt: at && !Number.isNaN(at.getTime()) ? at : undefined });
      }
      walk(kids(t, "childSnapshotList"));
    }
  };
  walk(kids(info, "rootSnapshotList"));
  return out;
}

/** The description of a snapshot Orquestra takes: who took it and the call's idempotency key. */
export function snapshotDescriptionFor(idempotencyKey: string | undefined): string {
  return idempotencyKey ? `Created by Orquestra (idempotency key ${idempotencyKey})` : "Created by Orquestra";
}

// vim25 data objects the vSphere driver sends, each written in its WSDL element order
// (vCenter rejects out-of-order elements). Pure functions, unit-tested in soap.test.ts.
import type { MachineSpec } from "../types";
import { at, bool, kid, kids, mor, morOf, num, text, typed, typedText, type MoRef, type XmlFields, type XmlValue, type XNode } from "./soap";

/** extraConfig keys Orquestra puts on the VMs it creates. */
export const MACHINE_ID_KEY = "orquestra.machineId";
export const IDEMPOTENCY_KEY = "orquestra.idempotencyKey";
/** A line in the annotation (Notes) that carries the machine id too, for people and for VMs whose extraConfig is stripped. */
export const ANNOTATION_PREFIX = "orquestra.machineId=";

/** The VM's Notes: human text plus the machine id line. */
export function annotationFor(machineId: string, name: string): string {
  return `Managed by Orquestra (${name}).\n${ANNOTATION_PREFIX}${machineId}`;
}

/** The machine id carried by an annotation, if any. */
export function machineIdFromAnnotation(annotation: string | undefined): string | null {
  if (!annotation) return null;
  const line = annotation.split(/\r?\n/).find((l) => l.trim().startsWith(ANNOTATION_PREFIX));
  const id = line?.trim().slice(ANNOTATION_PREFIX.length).trim();
  return id ? id : null;
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

/** The Orquestra-specific part of a VM's config: size, Notes and the machine id markers. */
export function configSpec(spec: Pick<MachineSpec, "machineId" | "name" | "vcpu" | "memoryMb">, idempotencyKey: string, deviceChange?: XmlFields[]): XmlFields {
  return {
    annotation: annotationFor(spec.machineId, spec.name),
    numCPUs: spec.vcpu,
    memoryMB: spec.memoryMb,
    deviceChange: deviceChange?.length ? deviceChange : undefined,
    extraConfig: [optionValue(MACHINE_ID_KEY, spec.machineId), optionValue(IDEMPOTENCY_KEY, idempotencyKey)],
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

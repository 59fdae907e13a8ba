import { describe, expect, it } from "vitest";
import { DriverError } from "../types";
import {
  envelope,
  escapeXml,
  faultToDriverError,
  kid,
  morList,
  mor,
  optionValues,
  parseMethodFault,
  parseObjectContents,
  parseResponse,
  parseXml,
  serialize,
  text,
  typed,
  VimFaultError,
} from "./soap";
import {
  annotationFor,
  cloneArgs,
  createVmArgs,
  disksOf,
  filterSpec,
  growDiskSpec,
  machineIdFromAnnotation,
  nicAdd,
  nicEdit,
  nicsOf,
  ownershipFromAnnotation,
  ownershipOf,
  parseTemplateRef,
  snapshotDescriptionFor,
  snapshotsOf,
} from "./vim-specs";
import { mapPowerState, sdkUrl, vmToMachine, vsphereOptions } from "./vsphere-driver";
import type { MachineSpec } from "../types";

const NS =
  'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const wrap = (body: string) => `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope ${NS}><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;

const spec: MachineSpec = {
  machineId: "m-123",
  installationId: "inst-7",
  name: "web <01> & co",
  vcpu: 2,
  memoryMb: 2048,
  diskGb: 20,
  diskTier: "SSD",
  templateRef: "ubuntu-22.04",
};

describe("envelope building", () => {
  it("escapes text and attribute values and drops characters XML forbids", () => {
    expect(escapeXml(`a<b>&"c'\u0001d`)).toBe("a&lt;b&gt;&amp;&quot;c&apos;d");
  });

  it("writes _this first, then the arguments in order, in the urn:vim25 namespace", () => {
    const xml = envelope("Login", { type: "SessionManager", value: "SessionManager" }, { userName: "admin@vsphere.local", password: "p<&>" });
    expect(xml).toContain(
      '<soapenv:Body><Login xmlns="urn:vim25"><_this type="SessionManager">SessionManager</_this><userName>admin@vsphere.local</userName><password>p&lt;&amp;&gt;</password></Login></soapenv:Body>',
    );
    // The envelope is well-formed XML.
    expect(() => parseXml(xml)).not.toThrow();
  });

  it("serializes arrays as repeated elements, references with their type, polymorphic values with xsi:type", () => {
    expect(serialize("type", ["VirtualMachine", "HostSystem"])).toBe("<type>VirtualMachine</type><type>HostSystem</type>");
    expect(serialize("obj", mor({ type: "Task", value: "task-7" }))).toBe('<obj type="Task">task-7</obj>');
    expect(serialize("selectSet", typed("TraversalSpec", { name: "v", path: "view", skip: false }))).toBe(
      '<selectSet xsi:type="TraversalSpec"><name>v</name><path>view</path><skip>false</skip></selectSet>',
    );
    expect(serialize("host", undefined)).toBe("");
  });

  it("refuses element names that would break the document", () => {
    expect(() => serialize("a><b", "x")).toThrow(/invalid XML element name/);
    expect(() => envelope("Login></x", { type: "SessionManager", value: "s" })).toThrow();
  });

  it("builds a property filter over a container view that skips the view itself", () => {
    const xml = serialize("specSet", filterSpec("VirtualMachine", ["name", "runtime.powerState"], { type: "ContainerView", value: "session[1]view" }));
    expect(xml).toBe(
      "<specSet><propSet><type>VirtualMachine</type><all>false</all><pathSet>name</pathSet><pathSet>runtime.powerState</pathSet></propSet>" +
        '<objectSet><obj type="ContainerView">session[1]view</obj><skip>true</skip>' +
        '<selectSet xsi:type="TraversalSpec"><name>traverseView</name><type>ContainerView</type><path>view</path><skip>false</skip></selectSet></objectSet></specSet>',
    );
    // A direct object: not skipped, no traversal.
    const direct = serialize("specSet", filterSpec("VirtualMachine", ["name"], { type: "VirtualMachine", value: "vm-1" }));
    expect(direct).toContain('<obj type="VirtualMachine">vm-1</obj><skip>false</skip></objectSet>');
  });

  it("writes the clone spec in WSDL order with size, Notes and the machine id in extraConfig", () => {
    const args = cloneArgs("web-01-m123", spec, "key-1", {
      folder: { type: "Folder", value: "group-v3" },
      pool: { type: "ResourcePool", value: "resgroup-9" },
      host: { type: "HostSystem", value: "host-21" },
    });
    const xml = Object.entries(args)
      .map(([k, v]) => serialize(k, v))
      .join("");
    expect(xml).toMatch(
      /^<folder type="Folder">group-v3<\/folder><name>web-01-m123<\/name><spec><location><pool type="ResourcePool">resgroup-9<\/pool><host type="HostSystem">host-21<\/host><\/location><template>false<\/template><config>/,
    );
    expect(xml).toContain("<numCPUs>2</numCPUs><memoryMB>2048</memoryMB>");
    expect(xml).toContain('<extraConfig xsi:type="OptionValue"><key>orquestra.machineId</key><value xsi:type="xsd:string">m-123</value></extraConfig>');
    expect(xml).toContain('<extraConfig xsi:type="OptionValue"><key>orquestra.installationId</key><value xsi:type="xsd:string">inst-7</value></extraConfig>');
    expect(xml).toContain('<extraConfig xsi:type="OptionValue"><key>orquestra.idempotencyKey</key><value xsi:type="xsd:string">key-1</value></extraConfig>');
    expect(xml).toContain("orquestra.machineId=m-123\norquestra.installationId=inst-7</annotation>");
    expect(xml).toContain("web &lt;01&gt; &amp; co");
    expect(xml).toMatch(/<\/config><powerOn>false<\/powerOn><\/spec>$/);
    // annotation comes before numCPUs (WSDL order of VirtualMachineConfigSpec)
    expect(xml.indexOf("<annotation>")).toBeLessThan(xml.indexOf("<numCPUs>"));
  });

  it("writes a CreateVM_Task config with a SCSI controller and a thin disk of the offering's size", () => {
    const args = createVmArgs("vm", "otherGuest64", spec, "k", {
      folder: { type: "Folder", value: "group-v3" },
      pool: { type: "ResourcePool", value: "resgroup-9" },
      datastore: { type: "Datastore", value: "datastore-1" },
      datastoreName: "LocalDS_0",
    });
    const xml = serialize("config", args.config);
    expect(xml).toContain("<guestId>otherGuest64</guestId>");
    expect(xml).toContain("<files><vmPathName>[LocalDS_0]</vmPathName></files>");
    expect(xml).toContain('<device xsi:type="VirtualLsiLogicController"><key>-100</key><busNumber>0</busNumber><sharedBus>noSharing</sharedBus></device>');
    expect(xml).toContain("<capacityInKB>20971520</capacityInKB>");
    expect(xml).toContain("<thinProvisioned>true</thinProvisioned>");
    expect(xml.indexOf("<deviceChange>")).toBeLessThan(xml.indexOf("<extraConfig"));
    expect(serialize("pool", args.pool)).toBe('<pool type="ResourcePool">resgroup-9</pool>');
  });

  it("reads template references: a VM name, or create:<guestId>", () => {
    expect(parseTemplateRef("DC0_C0_RP0_VM0")).toEqual({ kind: "clone", name: "DC0_C0_RP0_VM0" });
    expect(parseTemplateRef("create:ubuntu64Guest")).toEqual({ kind: "create", guestId: "ubuntu64Guest" });
    expect(parseTemplateRef("create:bad id")).toEqual({ kind: "clone", name: "create:bad id" });
  });

  it("round-trips both ownership tags through the annotation", () => {
    const notes = annotationFor({ machineId: "abc-1", installationId: "inst-2" }, "web");
    expect(ownershipFromAnnotation(notes)).toEqual({ machineId: "abc-1", installationId: "inst-2" });
    expect(machineIdFromAnnotation(notes)).toBe("abc-1");
    // People add their own lines around ours (Windows line ends included).
    expect(ownershipFromAnnotation(`Owner: ops team\r\n${notes.replace(/\n/g, "\r\n")}\r\nticket 42`)).toEqual({ machineId: "abc-1", installationId: "inst-2" });
    // Notes written before installation ids existed carry the machine id only.
    expect(ownershipFromAnnotation("Managed by Orquestra (x).\norquestra.machineId=old-1")).toEqual({ machineId: "old-1", installationId: null });
    expect(ownershipFromAnnotation("someone's notes")).toEqual({ machineId: null, installationId: null });
    expect(ownershipFromAnnotation("orquestra.machineId=")).toEqual({ machineId: null, installationId: null });
    expect(machineIdFromAnnotation(undefined)).toBeNull();
  });

  it("reads ownership from extraConfig first, each tag falling back to the Notes on its own", () => {
    const notes = annotationFor({ machineId: "from-notes", installationId: "inst-notes" }, "web");
    expect(ownershipOf({ "orquestra.machineId": "m-1", "orquestra.installationId": "i-1" }, notes)).toEqual({ machineId: "m-1", installationId: "i-1" });
    expect(ownershipOf({ "orquestra.machineId": "m-1" }, notes)).toEqual({ machineId: "m-1", installationId: "inst-notes" });
    expect(ownershipOf({}, notes)).toEqual({ machineId: "from-notes", installationId: "inst-notes" });
    expect(ownershipOf({ "svga.present": "TRUE" }, undefined)).toEqual({ machineId: null, installationId: null });
  });

  it("flattens a VM's snapshot tree and describes Orquestra's snapshots", () => {
    const info = parseXml(
      `<val ${NS} xsi:type="VirtualMachineSnapshotInfo"><currentSnapshot type="VirtualMachineSnapshot">snapshot-3</currentSnapshot>
        <rootSnapshotList><snapshot type="VirtualMachineSnapshot">snapshot-1</snapshot><vm type="VirtualMachine">vm-1</vm><name>daily</name><description>Created by Orquestra (idempotency key op-1)</description><createTime>2026-12-01T10:00:00Z</createTime>
          <childSnapshotList><snapshot type="VirtualMachineSnapshot">snapshot-2</snapshot><name>before upgrade</name><description></description><createTime>2026-12-01T11:00:00Z</createTime>
            <childSnapshotList><snapshot type="VirtualMachineSnapshot">snapshot-3</snapshot><name>daily</name><createTime>not a date</createTime></childSnapshotList>
          </childSnapshotList>
        </rootSnapshotList>
        <rootSnapshotList><snapshot type="VirtualMachineSnapshot">snapshot-9</snapshot><name>other root</name></rootSnapshotList></val>`,
    ).kids.val[0];
    expect(snapshotsOf(info)).toEqual([
      { ref: "snapshot-1", name: "daily", description: "Created by Orquestra (idempotency key op-1)", createdAt: new Date("2026-12-01T10:00:00Z") },
      { ref: "snapshot-2", name: "before upgrade", description: "", createdAt: new Date("2026-12-01T11:00:00Z") },
      { ref: "snapshot-3", name: "daily", description: "", createdAt: undefined },
      { ref: "snapshot-9", name: "other root", description: "", createdAt: undefined },
    ]);
    expect(snapshotsOf(undefined)).toEqual([]);
    expect(snapshotDescriptionFor("op-1")).toBe("Created by Orquestra (idempotency key op-1)");
    expect(snapshotDescriptionFor(undefined)).toBe("Created by Orquestra");
  });
});

describe("answer parsing", () => {
  it("returns the <method>Response element of a successful answer", () => {
    const res = parseResponse(wrap('<CurrentTimeResponse xmlns="urn:vim25"><returnval>2026-11-25T18:00:00Z</returnval></CurrentTimeResponse>'), "CurrentTime", "ping");
    expect(text(kid(res, "returnval"))).toBe("2026-11-25T18:00:00Z");
  });

  it("maps InvalidLogin to a non-retryable AUTH error", () => {
    const body = wrap(
      '<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>Login failure</faultstring><detail><InvalidLoginFault xmlns="urn:vim25" xsi:type="InvalidLogin"></InvalidLoginFault></detail></soapenv:Fault>',
    );
    let err: unknown;
    try {
      parseResponse(body, "Login", "login");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(VimFaultError);
    const e = err as VimFaultError;
    expect(e.code).toBe("AUTH");
    expect(e.retryable).toBe(false);
    expect(e.fault.type).toBe("InvalidLogin");
    expect(e.message).toContain("Login failure");
  });

  it("takes the fault type from the detail element name when xsi:type is absent", () => {
    const body = wrap(
      '<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>The object has already been deleted or has not been completely created</faultstring><detail><ManagedObjectNotFoundFault xmlns="urn:vim25"><obj type="VirtualMachine">vm-9</obj></ManagedObjectNotFoundFault></detail></soapenv:Fault>',
    );
    expect(() => parseResponse(body, "RetrievePropertiesEx", "get VM")).toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
  });

  it("maps fault types to codes", () => {
    const code = (type: string) => faultToDriverError({ type, message: "x" }, "op");
    expect(code("InsufficientResourcesFault").code).toBe("CAPACITY");
    expect(code("InsufficientMemoryResourcesFault").code).toBe("CAPACITY");
    expect(code("NoDiskSpace").code).toBe("CAPACITY");
    expect(code("NotAuthenticated").code).toBe("AUTH");
    expect(code("NotSupported").code).toBe("UNSUPPORTED");
    expect(code("InvalidPowerState")).toMatchObject({ code: "PROVIDER", retryable: false });
    expect(code("TaskInProgress")).toMatchObject({ code: "PROVIDER", retryable: true });
  });

  it("reads a task's LocalizedMethodFault", () => {
    const error = parseXml(
      `<error ${NS}><fault xsi:type="InsufficientMemoryResourcesFault"><unreserved>0</unreserved></fault><localizedMessage>Insufficient memory resources.</localizedMessage></error>`,
    );
    const f = parseMethodFault(kid(error, "error")!);
    expect(f).toMatchObject({ type: "InsufficientMemoryResourcesFault", message: "Insufficient memory resources." });
    expect(faultToDriverError(f, "clone").code).toBe("CAPACITY");
  });

  it("answers PROVIDER for truncated, non-SOAP and unexpected documents", () => {
    for (const body of ["<soapenv:Envelope><notclosed", '{"json": true}', "<html><body>Hello</body></html>", wrap("<OtherResponse/>")]) {
      let err: unknown;
      try {
        parseResponse(body, "RetrieveServiceContent", "connect");
      } catch (e) {
        err = e;
      }
      expect(err, body).toBeInstanceOf(DriverError);
      expect((err as DriverError).code).toBe("PROVIDER");
      expect((err as DriverError).retryable).toBe(false);
    }
  });

  it("reads property collector objects, extraConfig, reference arrays and the continuation token", () => {
    const res = parseResponse(
      wrap(`<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval><token>tok-1</token><objects><obj type="VirtualMachine">vm-42</obj>
        <propSet><name>name</name><val xsi:type="xsd:string">web &amp; db</val></propSet>
        <propSet><name>runtime.powerState</name><val xsi:type="VirtualMachinePowerState">suspended</val></propSet>
        <propSet><name>runtime.host</name><val type="HostSystem" xsi:type="ManagedObjectReference">host-21</val></propSet>
        <propSet><name>config.hardware.numCPU</name><val xsi:type="xsd:int">4</val></propSet>
        <propSet><name>config.hardware.memoryMB</name><val xsi:type="xsd:int">8192</val></propSet>
        <propSet><name>config.extraConfig</name><val xsi:type="ArrayOfOptionValue">
          <OptionValue xsi:type="OptionValue"><key>orquestra.machineId</key><value xsi:type="xsd:string">m-9</value></OptionValue>
          <OptionValue xsi:type="OptionValue"><key>orquestra.installationId</key><value xsi:type="xsd:string">inst-3</value></OptionValue>
          <OptionValue xsi:type="OptionValue"><key>svga.present</key><value xsi:type="xsd:string">TRUE</value></OptionValue></val></propSet>
        <propSet><name>datastore</name><val xsi:type="ArrayOfManagedObjectReference"><ManagedObjectReference type="Datastore" xsi:type="ManagedObjectReference">datastore-1</ManagedObjectReference><ManagedObjectReference type="Datastore" xsi:type="ManagedObjectReference">datastore-2</ManagedObjectReference></val></propSet>
        <missingSet><path>guest.ipAddress</path><fault><fault xsi:type="NoPermission"></fault></fault></missingSet>
        </objects></returnval></RetrievePropertiesExResponse>`),
      "RetrievePropertiesEx",
      "list",
    );
    const { objects, token } = parseObjectContents(kid(res, "returnval"));
    expect(token).toBe("tok-1");
    expect(objects).toHaveLength(1);
    const o = objects[0];
    expect(o.obj).toEqual({ type: "VirtualMachine", value: "vm-42" });
    expect(o.missing).toEqual(["guest.ipAddress"]);
    expect(optionValues(o.props["config.extraConfig"])).toEqual({ "orquestra.machineId": "m-9", "orquestra.installationId": "inst-3", "svga.present": "TRUE" });
    expect(morList(o.props.datastore).map((m) => m.value)).toEqual(["datastore-1", "datastore-2"]);
    expect(vmToMachine(o)).toEqual({
      ref: "vm-42",
      machineId: "m-9",
      installationId: "inst-3",
      name: "web & db",
      state: "PAUSED",
      vcpu: 4,
      memoryMb: 8192,
      diskGb: undefined,
      hostRef: "host-21",
      ipAddress: null,
    });
  });

  it("an empty RetrievePropertiesEx answer has no objects", () => {
    const res = parseResponse(wrap('<RetrievePropertiesExResponse xmlns="urn:vim25"></RetrievePropertiesExResponse>'), "RetrievePropertiesEx", "list");
    expect(parseObjectContents(kid(res, "returnval"))).toEqual({ objects: [] });
  });
});

describe("disks", () => {
  const devices = parseXml(
    `<val ${NS} xsi:type="ArrayOfVirtualDevice">
      <VirtualDevice xsi:type="VirtualLsiLogicController"><key>1000</key><busNumber>0</busNumber></VirtualDevice>
      <VirtualDevice xsi:type="VirtualDisk"><key>2000</key><deviceInfo><label>Hard disk 1</label><summary>10,485,760 KB</summary></deviceInfo>
        <backing xsi:type="VirtualDiskFlatVer2BackingInfo"><fileName>[ds1] web/web.vmdk</fileName><datastore type="Datastore">datastore-1</datastore><diskMode>persistent</diskMode><thinProvisioned>true</thinProvisioned></backing>
        <controllerKey>1000</controllerKey><unitNumber>0</unitNumber><capacityInKB>10485760</capacityInKB></VirtualDevice>
    </val>`,
  );

  it("reads the virtual disks of a device list", () => {
    const disks = disksOf(kid(devices, "val"));
    expect(disks).toEqual([
      {
        key: 2000,
        controllerKey: 1000,
        unitNumber: 0,
        capacityKb: 10485760,
        label: "Hard disk 1",
        summary: "10,485,760 KB",
        backingType: "VirtualDiskFlatVer2BackingInfo",
        fileName: "[ds1] web/web.vmdk",
        diskMode: "persistent",
        datastore: { type: "Datastore", value: "datastore-1" },
        thinProvisioned: true,
      },
    ]);
  });

  it("writes an edit of the disk with the new capacity, keeping its backing", () => {
    const disk = disksOf(kid(devices, "val"))[0];
    const xml = serialize("spec", growDiskSpec(disk, 20971520));
    expect(xml).toContain("<deviceChange><operation>edit</operation><device xsi:type=\"VirtualDisk\"><key>2000</key>");
    expect(xml).toContain('<backing xsi:type="VirtualDiskFlatVer2BackingInfo"><fileName>[ds1] web/web.vmdk</fileName><datastore type="Datastore">datastore-1</datastore><diskMode>persistent</diskMode>');
    expect(xml).toMatch(/<controllerKey>1000<\/controllerKey><unitNumber>0<\/unitNumber><capacityInKB>20971520<\/capacityInKB><\/device>/);
  });
});

describe("network cards", () => {
  it("reads cards and moves one to a distributed port group, keeping its MAC address", () => {
    const devices = parseXml(
      `<val ${NS}><VirtualDevice xsi:type="VirtualVmxnet3"><key>4000</key><deviceInfo><label>Network adapter 1</label><summary>DVSwitch</summary></deviceInfo><controllerKey>100</controllerKey><unitNumber>7</unitNumber><addressType>generated</addressType><macAddress>00:50:56:aa:bb:cc</macAddress></VirtualDevice><VirtualDevice xsi:type="VirtualIDEController"><key>200</key></VirtualDevice></val>`,
    );
    const nics = nicsOf(kid(devices, "val"));
    expect(nics).toHaveLength(1);
    const xml = serialize("deviceChange", nicEdit(nics[0], { kind: "distributed", switchUuid: "50 1a", portgroupKey: "dvportgroup-11" }));
    expect(xml).toBe(
      '<deviceChange><operation>edit</operation><device xsi:type="VirtualVmxnet3"><key>4000</key><deviceInfo xsi:type="Description"><label>Network adapter 1</label><summary>DVSwitch</summary></deviceInfo>' +
        '<backing xsi:type="VirtualEthernetCardDistributedVirtualPortBackingInfo"><port><switchUuid>50 1a</switchUuid><portgroupKey>dvportgroup-11</portgroupKey></port></backing>' +
        "<connectable><startConnected>true</startConnected><allowGuestControl>true</allowGuestControl><connected>true</connected></connectable>" +
        "<controllerKey>100</controllerKey><unitNumber>7</unitNumber><addressType>generated</addressType><macAddress>00:50:56:aa:bb:cc</macAddress></device></deviceChange>",
    );
  });

  it("adds a vmxnet3 card on a standard network", () => {
    const xml = serialize("deviceChange", nicAdd({ kind: "standard", name: "VM Network", ref: { type: "Network", value: "network-7" } }));
    expect(xml).toContain('<backing xsi:type="VirtualEthernetCardNetworkBackingInfo"><deviceName>VM Network</deviceName><network type="Network">network-7</network></backing>');
    expect(xml).toMatch(/^<deviceChange><operation>add<\/operation><device xsi:type="VirtualVmxnet3"><key>-102<\/key>/);
  });
});

describe("driver helpers", () => {
  it("maps power states", () => {
    expect(mapPowerState("poweredOn")).toBe("RUNNING");
    expect(mapPowerState("poweredOff")).toBe("STOPPED");
    expect(mapPowerState("suspended")).toBe("PAUSED");
    expect(mapPowerState(undefined)).toBe("UNKNOWN");
  });

  it("normalizes the SDK URL and refuses credentials in it", () => {
    expect(sdkUrl("vc.example.org")).toBe("https://vc.example.org/sdk");
    expect(sdkUrl("https://vc.example.org/")).toBe("https://vc.example.org/sdk");
    expect(sdkUrl("http://127.0.0.1:8989/sdk")).toBe("http://127.0.0.1:8989/sdk");
    expect(() => sdkUrl("https://root:secret@vc.example.org/sdk")).toThrow(/credentials/);
    expect(() => sdkUrl("ftp://vc.example.org")).toThrow(DriverError);
  });

  it("reads options with defaults and ignores unknown tiers", () => {
    const o = vsphereOptions({ datacenter: " DC1 ", insecure: true, datastoreTiers: { nfs01: "HDD", x: "FAST" } });
    expect(o).toMatchObject({ datacenter: "DC1", insecure: true, datastoreTiers: { nfs01: "HDD" }, apiVersion: "6.5" });
    expect(vsphereOptions({}).insecure).toBe(false);
  });
});

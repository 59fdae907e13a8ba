// VMware vSphere driver over the vim25 SOAP API (vCenter or a standalone ESXi host).
// Provision clones the template VM named by the template's native reference into the
// datacenter's VM folder (or, for a reference "create:<guestId>", creates an empty VM with a
// thin disk), sets its size, Notes and extraConfig `orquestra.machineId`, and powers it on;
// a retried provision finds the VM carrying the machine id instead of cloning again. The
// installation id is written next to the machine id (extraConfig and Notes), and
// findByMachineId finds a VM by those tags when its moref was lost. Snapshots are idempotent
// by name and record the caller's idempotency key in their description.
// Every change is a vSphere task followed to completion within the call's deadline. Drivers of
// one provider share one logged-in session (session-pool.ts); close() returns it to the pool.
// Why SOAP envelopes by hand: see soap.ts.
import { deadline, safeName, toDriverError } from "../call";
import {
  DriverError,
  type CallOptions,
  type Capability,
  type Driver,
  type DriverConfig,
  type DriverHostCapacity,
  type DriverMachine,
  type DriverMachineState,
  type DriverSnapshot,
  type MachineMetricsReading,
  type MachineSpec,
} from "../types";
import type { ServiceContent, VimClient, VimClientOptions } from "./client";
import { counterKeys, latestPerfValues, queryPerfArgs, readingFromPerf, wantedCounters, type PerfCounterName } from "./perf";
import { vsphereProfile } from "./profile";
import { vimSessions, type SessionLease } from "./session-pool";
import { bool, kids, morList, morOf, num, optionValues, text, VimFaultError, type MoRef, type ObjectContent } from "./soap";
import {
  VM_PATHS,
  cloneArgs,
  configSpec,
  createVmArgs,
  disksOf,
  growDiskSpec,
  nicAdd,
  nicEdit,
  nicsOf,
  ownershipFromAnnotation,
  ownershipOf as ownershipFromTags,
  parseTemplateRef,
  resizeSpec,
  snapshotDescriptionFor,
  snapshotsOf,
  type NetworkBacking,
  type Placement,
} from "./vim-specs";

/** vSphere's VirtualMachinePowerState into Orquestra's. */
export function mapPowerState(state: string | undefined): DriverMachineState {
  switch (state) {
    case "poweredOn":
      return "RUNNING";
    case "poweredOff":
      return "STOPPED";
    case "suspended":
      return "PAUSED";
    default:
      return "UNKNOWN";
  }
}

/** "https://vc.example" or "vc.example" -> "https://vc.example/sdk"; an explicit path is kept. */
export function sdkUrl(endpoint: string): string {
  const e = endpoint.trim();
  const withScheme = /^[a-z]+:\/\//i.test(e) ? e : `https://${e}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    throw new DriverError("PROVIDER", `invalid vSphere endpoint "${endpoint}" (use https://vcenter.example/sdk)`, false);
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") throw new DriverError("PROVIDER", `invalid vSphere endpoint "${endpoint}": use https:// (or http:// for a local simulator)`, false);
  if (u.username || u.password) throw new DriverError("PROVIDER", "put the vSphere user name and password in the credentials, not in the endpoint URL", false);
  if (u.pathname === "/" || u.pathname === "") u.pathname = "/sdk";
  return u.toString();
}

export interface VsphereOptions {
  datacenter?: string;
  cluster?: string;
  resourcePool?: string;
  datastore?: string;
  folder?: string;
  /** The port group (standard or distributed) new VMs' network card connects to. */
  network?: string;
  insecure: boolean;
  ca?: string;
  /** Datastore name -> tier; datastores not listed are SSD. */
  datastoreTiers: Record<string, "SSD" | "HDD">;
  callTimeoutMs: number;
  /** Deadline of the operations that copy disks (provision, snapshots, destroy). */
  taskTimeoutMs: number;
  stopTimeoutSeconds: number;
  keepAliveSeconds: number;
  /** How long the provider's session stays logged in with no driver using it. */
  sessionIdleSeconds: number;
  apiVersion: string;
}

const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);

export function vsphereOptions(config: Record<string, unknown>): VsphereOptions {
  const tiers: Record<string, "SSD" | "HDD"> = {};
  if (config.datastoreTiers && typeof config.datastoreTiers === "object") {
    for (const [k, v] of Object.entries(config.datastoreTiers as Record<string, unknown>)) if (v === "SSD" || v === "HDD") tiers[k] = v;
  }
  const n = (v: unknown, d: number) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : d);
  return {
    datacenter: str(config.datacenter),
    cluster: str(config.cluster),
    resourcePool: str(config.resourcePool),
    datastore: str(config.datastore),
    folder: str(config.folder),
    network: str(config.network),
    insecure: config.insecure === true || config.insecureTls === true,
    ca: str(config.ca),
    datastoreTiers: tiers,
    callTimeoutMs: n(config.callTimeoutMs, 120_000),
    taskTimeoutMs: n(config.taskTimeoutMs, 30 * 60_000),
    stopTimeoutSeconds: n(config.stopTimeoutSeconds, 60),
    keepAliveSeconds: n(config.keepAliveSeconds, 600),
    // Well under vCenter's own idle timeout (30 minutes by default), which the paused
    // keep-alive no longer holds off.
    sessionIdleSeconds: n(config.sessionIdleSeconds, 300),
    apiVersion: str(config.apiVersion) ?? "6.5",
  };
}

/** The ownership tags a VM carries (extraConfig first, then its Notes). */
export function ownershipOf(o: ObjectContent): { machineId: string | null; installationId: string | null } {
  return ownershipFromTags(optionValues(o.props["config.extraConfig"]), text(o.props["config.annotation"]));
}

/** The Orquestra machine id a VM carries (extraConfig first, then its Notes). */
export function machineIdOf(o: ObjectContent): string | null {
  return ownershipOf(o).machineId;
}

/** A VM's properties as a DriverMachine. */
export function vmToMachine(o: ObjectContent): DriverMachine {
  const p = o.props;
  const name = text(p["name"]);
  if (!name) throw new DriverError("PROVIDER", `vSphere answered VM ${o.obj.value} without a name`, false);
  // Provisioned size of the disks when the devices were read, else the storage in use.
  const disks = p["config.hardware.device"] ? disksOf(p["config.hardware.device"]) : [];
  const disk = disks.length
    ? disks.reduce((sum, d) => sum + d.capacityKb * 1024, 0)
    : (num(p["summary.storage.committed"]) ?? 0) + (num(p["summary.storage.uncommitted"]) ?? 0);
  return {
    ref: o.obj.value,
    ...ownershipOf(o),
    name,
    state: mapPowerState(text(p["runtime.powerState"])),
    vcpu: num(p["config.hardware.numCPU"]),
    memoryMb: num(p["config.hardware.memoryMB"]),
    diskGb: disk > 0 ? Math.round(disk / 1024 ** 3) : undefined,
    hostRef: morOf(p["runtime.host"])?.value ?? null,
    ipAddress: text(p["guest.ipAddress"]) || null,
  };
}

export interface VsphereInventory {
  datacenters: { ref: string; name: string }[];
  clusters: { ref: string; name: string; hostRefs: string[] }[];
  hosts: DriverHostCapacity[];
  datastores: { ref: string; name: string; type: string | null; tier: "SSD" | "HDD"; capacityGb: number; freeGb: number; accessible: boolean }[];
}

const VM = (value: string): MoRef => ({ type: "VirtualMachine", value });

/**
 * Snapshot calls under way in this process, by provider, VM and name: vSphere allows two
 * snapshots of one name, so a second call for the same one waits for the first and finds its
 * snapshot (across driver instances, which share the provider's session).
 */
const snapshotting = new Map<string, Promise<unknown>>();

/** The counter keys a vCenter uses, per shared client (read once: they do not change while it runs). */
const perfCounterCache = new WeakMap<VimClient, Promise<Partial<Record<PerfCounterName, number>>>>();

export class VsphereDriver implements Driver {
  readonly kind = "VSPHERE" as const;
  readonly capabilities: ReadonlySet<Capability> = new Set<Capability>(vsphereProfile.capabilities);
  readonly #clientOptions: VimClientOptions;
  private readonly providerId: string;
  private readonly options: VsphereOptions;
  private readonly provisioning = new Map<string, Promise<unknown>>();
  private lease?: SessionLease;
  private closed = false;

  constructor(config: DriverConfig) {
    const c = config.credentials;
    const username = c.username ?? c.user;
    const password = c.password;
    if (!username || !password) throw new DriverError("AUTH", "vSphere needs a user name and a password", false);
    this.options = vsphereOptions(config.config);
    this.providerId = config.providerId;
    // Private: holds the password, which must not show in an inspected driver.
    this.#clientOptions = {
      url: sdkUrl(config.endpoint),
      username,
      password,
      insecure: this.options.insecure,
      ca: this.options.ca,
      apiVersion: this.options.apiVersion,
      keepAliveMs: this.options.keepAliveSeconds * 1000,
      userAgent: `Orquestra (provider ${config.providerId})`,
    };
  }

  /** The provider's shared client, leased from the pool on first use (no network until a call). */
  private get client(): VimClient {
    if (this.closed) throw new DriverError("PROVIDER", "this vSphere driver was closed", false);
    this.lease ??= vimSessions.acquire({ providerId: this.providerId, client: this.#clientOptions }, this.options.sessionIdleSeconds * 1000);
    return this.lease.client;
  }

  /** Returns the provider's session to the pool (logged out there once idle). */
  async close(): Promise<void> {
    this.closed = true;
    const lease = this.lease;
    this.lease = undefined;
    await lease?.release();
  }

  /** Runs one driver operation under its deadline, with unclassified errors mapped. */
  private async op<T>(what: string, opts: CallOptions | undefined, fn: (signal: AbortSignal) => Promise<T>, long = false): Promise<T> {
    // Clones, snapshots and destroys copy disks: they get the longer task deadline.
    const signal = deadline(opts, long ? this.options.taskTimeoutMs : this.options.callTimeoutMs);
    try {
      return await fn(signal);
    } catch (err) {
      throw toDriverError(err, `vSphere ${what}`, signal);
    }
  }

  // ------------------------------------------------------------------------- inventory helpers

  /**
   * The datacenter Orquestra works in: the configured one, else the one holding `near` (the
   * template), else the first one.
   */
  private async datacenter(signal: AbortSignal, near?: MoRef): Promise<{ ref: MoRef; name: string; vmFolder: MoRef }> {
    const sc = await this.client.ensureSession(signal);
    const dcs = await this.client.list(sc.rootFolder, "Datacenter", ["name", "vmFolder"], signal, "datacenters");
    const wanted = this.options.datacenter;
    let dc = wanted ? dcs.find((d) => text(d.props.name) === wanted) : dcs[0];
    if (!wanted && near && dcs.length > 1) {
      // Walk up the inventory tree from the template to its datacenter.
      let cur: MoRef | undefined = near;
      for (let i = 0; cur && cur.type !== "Datacenter" && i < 32; i++) cur = morOf((await this.client.properties(cur, ["parent"], signal, "find datacenter")).props.parent);
      dc = dcs.find((d) => d.obj.value === cur?.value) ?? dc;
    }
    if (!dc) throw new DriverError("NOT_FOUND", wanted ? `vSphere has no datacenter "${wanted}"` : "vSphere has no datacenter", false);
    const vmFolder = morOf(dc.props.vmFolder);
    if (!vmFolder) throw new DriverError("PROVIDER", "vSphere answered a datacenter without its VM folder", false);
    return { ref: dc.obj, name: text(dc.props.name) ?? dc.obj.value, vmFolder };
  }

  /** Where inventory is read from: the configured datacenter, or the whole vCenter. */
  private async scope(signal: AbortSignal): Promise<{ sc: ServiceContent; root: MoRef }> {
    const sc = await this.client.ensureSession(signal);
    if (!this.options.datacenter) return { sc, root: sc.rootFolder };
    return { sc, root: (await this.datacenter(signal)).ref };
  }

  private async vms(signal: AbortSignal, paths: readonly string[] = VM_PATHS): Promise<ObjectContent[]> {
    const { root } = await this.scope(signal);
    return this.client.list(root, "VirtualMachine", paths, signal, "list VMs");
  }

  private async vm(ref: string, signal: AbortSignal, what = "get VM", paths: readonly string[] = VM_PATHS): Promise<ObjectContent> {
    try {
      return await this.client.properties(VM(ref), paths, signal, what);
    } catch (err) {
      if (err instanceof DriverError && err.code === "NOT_FOUND") throw new DriverError("NOT_FOUND", `vSphere has no VM ${ref}`, false);
      throw err;
    }
  }

  private async byName(type: string, name: string, root: MoRef, signal: AbortSignal, extra: string[] = []): Promise<ObjectContent> {
    const all = await this.client.list(root, type, ["name", ...extra], signal, `find ${type}`);
    const found = all.find((o) => text(o.props.name) === name);
    if (!found) throw new DriverError("NOT_FOUND", `vSphere has no ${type} named "${name}"`, false);
    return found;
  }

  /** Resource pool, datastore, folder and host for a new VM. */
  private async placement(spec: MachineSpec, template: ObjectContent | undefined, signal: AbortSignal): Promise<Placement & { datastoreName?: string }> {
    const dc = await this.datacenter(signal, template?.obj);
    const o = this.options;
    const place: Placement & { datastoreName?: string } = { folder: dc.vmFolder };
    if (o.folder) place.folder = (await this.byName("Folder", o.folder, dc.ref, signal)).obj;
    if (o.resourcePool) {
      place.pool = (await this.byName("ResourcePool", o.resourcePool, dc.ref, signal)).obj;
    } else if (o.cluster) {
      const cluster = await this.byName("ClusterComputeResource", o.cluster, dc.ref, signal, ["resourcePool"]);
      place.pool = morOf(cluster.props.resourcePool);
    }
    if (spec.hostRef) {
      const host = await this.client.properties({ type: "HostSystem", value: spec.hostRef }, ["name", "parent"], signal, "find host");
      place.host = host.obj;
      if (!place.pool) {
        const parent = morOf(host.props.parent);
        if (parent) place.pool = morOf((await this.client.properties(parent, ["resourcePool"], signal, "find host pool")).props.resourcePool);
      }
    }
    if (!place.pool && template) {
      const t = await this.client.properties(template.obj, ["resourcePool"], signal, "find template pool");
      place.pool = morOf(t.props.resourcePool);
    }
    if (!place.pool) {
      const computes = await this.client.list(dc.ref, "ComputeResource", ["resourcePool"], signal, "find pool");
      place.pool = computes.map((c) => morOf(c.props.resourcePool)).find(Boolean);
    }
    let stores = await this.client.list(dc.ref, "Datastore", ["name", "summary.freeSpace", "summary.accessible"], signal, "find datastore");
    if (place.host) {
      // Only datastores the chosen host can reach.
      const reachable = new Set(morList((await this.client.properties(place.host, ["datastore"], signal, "host datastores")).props.datastore).map((d) => d.value));
      stores = stores.filter((d) => reachable.has(d.obj.value));
    }
    if (o.datastore) {
      const ds = stores.find((d) => text(d.props.name) === o.datastore);
      if (!ds) throw new DriverError("NOT_FOUND", `vSphere has no datastore named "${o.datastore}"`, false);
      place.datastore = ds.obj;
      place.datastoreName = o.datastore;
    } else if (Object.keys(o.datastoreTiers).length || !template) {
      // The accessible datastore of the requested tier with the most free space.
      const candidates = stores
        .filter((d) => bool(d.props["summary.accessible"]) !== false)
        .filter((d) => (o.datastoreTiers[text(d.props.name) ?? ""] ?? "SSD") === spec.diskTier)
        .sort((a, b) => (num(b.props["summary.freeSpace"]) ?? 0) - (num(a.props["summary.freeSpace"]) ?? 0));
      const best = candidates[0];
      if (!best) throw new DriverError("CAPACITY", `vSphere has no accessible ${spec.diskTier} datastore`, false);
      place.datastore = best.obj;
      place.datastoreName = text(best.props.name);
    }
    if (o.network) {
      const backing = await this.network(o.network, dc.ref, signal);
      if (template) {
        const t = await this.client.properties(template.obj, ["config.hardware.device"], signal, "template devices");
        const nic = nicsOf(t.props["config.hardware.device"])[0];
        place.deviceChange = [nic ? nicEdit(nic, backing) : nicAdd(backing)];
      } else {
        place.deviceChange = [nicAdd(backing)];
      }
    }
    return place;
  }

  /** A port group by name: a standard network, or a distributed port group with its switch. */
  private async network(name: string, dc: MoRef, signal: AbortSignal): Promise<NetworkBacking> {
    const net = await this.byName("Network", name, dc, signal);
    if (net.obj.type !== "DistributedVirtualPortgroup") return { kind: "standard", name, ref: net.obj };
    const pg = await this.client.properties(net.obj, ["key", "config.distributedVirtualSwitch"], signal, "port group");
    const dvs = morOf(pg.props["config.distributedVirtualSwitch"]);
    const key = text(pg.props.key);
    if (!dvs || !key) throw new DriverError("PROVIDER", `vSphere answered port group "${name}" without its switch`, false);
    const uuid = text((await this.client.properties(dvs, ["uuid"], signal, "distributed switch")).props.uuid);
    if (!uuid) throw new DriverError("PROVIDER", `vSphere answered the switch of "${name}" without its uuid`, false);
    return { kind: "distributed", switchUuid: uuid, portgroupKey: key };
  }

  // ------------------------------------------------------------------------- lifecycle

  async provision(spec: MachineSpec, idempotencyKey: string, opts?: CallOptions): Promise<DriverMachine> {
    // Attempts for the same machine in this process run one after the other (the second finds
    // the first's VM); across processes, vCenter's DuplicateName on the derived name guards.
    const previous = this.provisioning.get(spec.machineId) ?? Promise.resolve();
    const run = previous.catch(() => {}).then(() => this.provisionOnce(spec, idempotencyKey, opts));
    const tail = run.catch(() => {});
    this.provisioning.set(spec.machineId, tail);
    void tail.then(() => {
      if (this.provisioning.get(spec.machineId) === tail) this.provisioning.delete(spec.machineId);
    });
    return run;
  }

  private async provisionOnce(spec: MachineSpec, idempotencyKey: string, opts?: CallOptions): Promise<DriverMachine> {
    return this.op("provision", opts, async (signal) => {
      const all = await this.vms(signal);
      const find = (list: ObjectContent[]) => list.find((o) => machineIdOf(o) === spec.machineId);
      let existing = find(all);
      if (!existing) {
        const name = safeName(spec.name, spec.machineId, 80);
        const tpl = parseTemplateRef(spec.templateRef);
        let duplicate: string | undefined;
        let created: MoRef | undefined;
        try {
          if (tpl.kind === "clone") {
            const template = all.find((o) => text(o.props.name) === tpl.name);
            if (!template) throw new DriverError("NOT_FOUND", `vSphere has no template VM named "${tpl.name}"`, false);
            const place = await this.placement(spec, template, signal);
            created = morOf(await this.client.runTask("CloneVM_Task", template.obj, cloneArgs(name, spec, idempotencyKey, place), signal, "clone"));
          } else {
            const place = await this.placement(spec, undefined, signal);
            if (!place.pool || !place.datastoreName) throw new DriverError("PROVIDER", "vSphere: no resource pool or datastore to create the VM in", false);
            created = morOf(
              await this.client.runTask(
                "CreateVM_Task",
              place.folder,
                createVmArgs(name, tpl.guestId, spec, idempotencyKey, { ...place, pool: place.pool, datastoreName: place.datastoreName }),
                signal,
                "create VM",
              ),
            );
          }
        } catch (err) {
          // A concurrent attempt created a VM of the same name: adopt it below.
          if (!(err instanceof VimFaultError && err.fault.type === "DuplicateName")) throw err;
          duplicate = name;
        }
        existing = created ? await this.vm(created.value, signal) : find(await this.vms(signal));
        if (existing && machineIdOf(existing) !== spec.machineId) throw new DriverError("PROVIDER", `vSphere created ${existing.obj.value} without Orquestra's machine id`, false);
        if (!existing && duplicate) throw new DriverError("PROVIDER", `vSphere already has a VM named "${duplicate}" without this machine's id (a clone for it may still be running)`, true);
        if (!existing) throw new DriverError("PROVIDER", "vSphere created the VM but does not list it yet", true);
      }
      // Some servers (the simulator among them) copy the template's size: set what was asked.
      const m = vmToMachine(existing);
      const notes = ownershipFromAnnotation(text(existing.props["config.annotation"]));
      const annotated = notes.machineId === spec.machineId && notes.installationId === spec.installationId;
      if (m.state === "STOPPED" && (m.vcpu !== spec.vcpu || m.memoryMb !== spec.memoryMb || !annotated)) {
        await this.client.runTask("ReconfigVM_Task", existing.obj, { spec: configSpec(spec, idempotencyKey) }, signal, "configure");
      }
      if (m.state !== "RUNNING") await this.powerOn(existing.obj, signal);
      return vmToMachine(await this.vm(existing.obj.value, signal, "get VM", [...VM_PATHS, "config.hardware.device"]));
    }, true);
  }

  async getMachine(ref: string, opts?: CallOptions): Promise<DriverMachine> {
    return this.op("get VM", opts, async (signal) => vmToMachine(await this.vm(ref, signal, "get VM", [...VM_PATHS, "config.hardware.device"])));
  }

  async start(ref: string, opts?: CallOptions): Promise<void> {
    return this.op("power on", opts, async (signal) => {
      const vm = await this.vm(ref, signal);
      if (text(vm.props["runtime.powerState"]) === "poweredOn") return;
      await this.powerOn(vm.obj, signal);
    });
  }

  /** PowerOnVM_Task; a VM found already on (someone else started it meanwhile) is fine. */
  private async powerOn(vm: MoRef, signal: AbortSignal): Promise<void> {
    try {
      await this.client.runTask("PowerOnVM_Task", vm, {}, signal, "power on");
    } catch (err) {
      if (!(err instanceof VimFaultError && err.fault.type === "InvalidPowerState")) throw err;
      const now = await this.client.properties(vm, ["runtime.powerState"], signal, "power state");
      if (text(now.props["runtime.powerState"]) !== "poweredOn") throw err;
    }
  }

  private async waitPowerState(ref: string, want: string, ms: number, signal: AbortSignal): Promise<boolean> {
    const until = Date.now() + ms;
    for (;;) {
      const p = await this.client.properties(VM(ref), ["runtime.powerState"], signal, "power state");
      if (text(p.props["runtime.powerState"]) === want) return true;
      if (Date.now() >= until) return false;
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  async stop(ref: string, opts?: CallOptions): Promise<void> {
    return this.op("power off", opts, async (signal) => {
      const vm = await this.vm(ref, signal);
      if (text(vm.props["runtime.powerState"]) === "poweredOff") return;
      const toolsRunning = text(vm.props["guest.toolsRunningStatus"]) === "guestToolsRunning";
      if (toolsRunning && text(vm.props["runtime.powerState"]) === "poweredOn") {
        try {
          // A clean guest shutdown; forced off when the guest does not finish in time.
          await this.client.call("ShutdownGuest", vm.obj, {}, signal, "guest shutdown");
          if (await this.waitPowerState(ref, "poweredOff", this.options.stopTimeoutSeconds * 1000, signal)) return;
        } catch (err) {
          if (!(err instanceof VimFaultError) || err.code === "NOT_FOUND" || err.code === "AUTH") throw err;
        }
      }
      try {
        await this.client.runTask("PowerOffVM_Task", vm.obj, {}, signal, "power off");
      } catch (err) {
        // Powered off meanwhile (the guest finished shutting down): that is what was asked.
        if (err instanceof VimFaultError && err.fault.type === "InvalidPowerState") return;
        throw err;
      }
    });
  }

  async reboot(ref: string, opts?: CallOptions): Promise<void> {
    return this.op("reset", opts, async (signal) => {
      const vm = await this.vm(ref, signal);
      const state = text(vm.props["runtime.powerState"]);
      if (state !== "poweredOn") {
        await this.powerOn(vm.obj, signal);
        return;
      }
      if (text(vm.props["guest.toolsRunningStatus"]) === "guestToolsRunning") {
        try {
          await this.client.call("RebootGuest", vm.obj, {}, signal, "guest reboot");
          return;
        } catch (err) {
          if (!(err instanceof VimFaultError) || err.code === "NOT_FOUND" || err.code === "AUTH") throw err;
        }
      }
      await this.client.runTask("ResetVM_Task", vm.obj, {}, signal, "reset");
    });
  }

  async destroy(ref: string, opts?: CallOptions): Promise<void> {
    return this.op("destroy", opts, async (signal) => {
      try {
        const vm = await this.vm(ref, signal);
        if (text(vm.props["runtime.powerState"]) !== "poweredOff") {
          try {
            await this.client.runTask("PowerOffVM_Task", vm.obj, {}, signal, "power off");
          } catch (err) {
            if (!(err instanceof VimFaultError && err.fault.type === "InvalidPowerState")) throw err;
          }
        }
        await this.client.runTask("Destroy_Task", vm.obj, {}, signal, "destroy");
      } catch (err) {
        if (err instanceof DriverError && err.code === "NOT_FOUND") return; // already gone
        throw err;
      }
    }, true);
  }

  async resize(ref: string, size: { vcpu: number; memoryMb: number; diskGb?: number }, opts?: CallOptions): Promise<void> {
    return this.op("resize", opts, async (signal) => {
      const vm = await this.client.properties(VM(ref), [...VM_PATHS, "config.hardware.device"], signal, "resize").catch((err: unknown) => {
        if (err instanceof DriverError && err.code === "NOT_FOUND") throw new DriverError("NOT_FOUND", `vSphere has no VM ${ref}`, false);
        throw err;
      });
      try {
        await this.client.runTask("ReconfigVM_Task", vm.obj, { spec: resizeSpec(size) }, signal, "resize");
        if (size.diskGb) {
          // The first disk (the system disk) grows; vSphere cannot shrink one.
          const disk = disksOf(vm.props["config.hardware.device"])[0];
          if (!disk) throw new DriverError("PROVIDER", `vSphere VM ${ref} has no virtual disk to grow`, false);
          const wantKb = Math.round(size.diskGb * 1024 * 1024);
          if (wantKb < disk.capacityKb) throw new DriverError("PROVIDER", `vSphere cannot shrink the disk of ${ref} (${Math.round(disk.capacityKb / 1024 ** 2)} GB) to ${size.diskGb} GB`, false);
          if (wantKb > disk.capacityKb) await this.client.runTask("ReconfigVM_Task", vm.obj, { spec: growDiskSpec(disk, wantKb) }, signal, "disk resize");
        }
      } catch (err) {
        if (err instanceof VimFaultError && (err.fault.type === "InvalidPowerState" || err.fault.type === "InvalidState")) {
          throw new DriverError("PROVIDER", `vSphere resize of ${ref}: the VM must be powered off (CPU/memory hot-add is not enabled): ${err.fault.message}`, false);
        }
        throw err;
      }
    });
  }

  /** The VM's snapshots, read from its snapshot tree. */
  private async snapshots(ref: string, signal: AbortSignal) {
    const vm = await this.vm(ref, signal, "snapshots", ["snapshot"]);
    return { vm, list: snapshotsOf(vm.props["snapshot"]) };
  }

  /**
   * Idempotent by name: when the VM has a snapshot of that name, it is the answer (calls for
   * one VM and name in this process run one after the other; across processes the operations
   * of one machine run in series). The description records the caller's idempotency key.
   */
  async snapshot(ref: string, name: string, opts?: CallOptions): Promise<DriverSnapshot> {
    const key = JSON.stringify([this.providerId, ref, name]);
    const previous = snapshotting.get(key) ?? Promise.resolve();
    const run = previous.catch(() => {}).then(() => this.snapshotOnce(ref, name, opts));
    const tail = run.catch(() => {});
    snapshotting.set(key, tail);
    void tail.then(() => {
      if (snapshotting.get(key) === tail) snapshotting.delete(key);
    });
    return run;
  }

  private async snapshotOnce(ref: string, name: string, opts?: CallOptions): Promise<DriverSnapshot> {
    const wanted = name.slice(0, 80);
    return this.op("snapshot", opts, async (signal) => {
      const { vm, list } = await this.snapshots(ref, signal);
      const existing = list.find((s) => s.name === wanted);
      if (existing) return { ref: existing.ref, name, createdAt: existing.createdAt };
      const result = await this.client.runTask(
        "CreateSnapshot_Task",
        vm.obj,
        { name: wanted, description: snapshotDescriptionFor(opts?.idempotencyKey), memory: false, quiesce: false },
        signal,
        "snapshot",
      );
      const snap = morOf(result);
      if (!snap) throw new DriverError("PROVIDER", "vSphere created the snapshot but did not say which", false);
      const created = (await this.snapshots(ref, signal)).list.find((s) => s.ref === snap.value);
      return { ref: snap.value, name, createdAt: created?.createdAt ?? new Date() };
    }, true);
  }

  async listSnapshots(ref: string, opts?: CallOptions): Promise<DriverSnapshot[]> {
    return this.op("snapshots", opts, async (signal) =>
      (await this.snapshots(ref, signal)).list.map((s) => ({ ref: s.ref, name: s.name, createdAt: s.createdAt })),
    );
  }

  async revertSnapshot(ref: string, snapshotRef: string, opts?: CallOptions): Promise<void> {
    return this.op("snapshot revert", opts, async (signal) => {
      await this.vm(ref, signal);
      await this.client.runTask("RevertToSnapshot_Task", { type: "VirtualMachineSnapshot", value: snapshotRef }, {}, signal, "snapshot revert");
    }, true);
  }

  async deleteSnapshot(ref: string, snapshotRef: string, opts?: CallOptions): Promise<void> {
    return this.op("snapshot delete", opts, async (signal) => {
      try {
        await this.client.runTask(
          "RemoveSnapshot_Task",
          { type: "VirtualMachineSnapshot", value: snapshotRef },
          { removeChildren: false, consolidate: true },
          signal,
          "snapshot delete",
        );
      } catch (err) {
        if (err instanceof DriverError && err.code === "NOT_FOUND") return; // already gone
        throw err;
      }
    }, true);
  }

  async listMachines(opts?: CallOptions): Promise<DriverMachine[]> {
    return this.op("list VMs", opts, async (signal) =>
      (await this.vms(signal)).filter((o) => bool(o.props["config.template"]) !== true).map(vmToMachine),
    );
  }

  async findByMachineId(machineId: string, opts?: CallOptions): Promise<DriverMachine | null> {
    return this.op("find VM", opts, async (signal) => {
      // vim25 cannot search extraConfig values: read the tags of every VM in scope.
      const found = (await this.vms(signal)).find((o) => bool(o.props["config.template"]) !== true && machineIdOf(o) === machineId);
      if (!found) return null;
      try {
        return vmToMachine(await this.vm(found.obj.value, signal, "get VM", [...VM_PATHS, "config.hardware.device"]));
      } catch (err) {
        if (err instanceof DriverError && err.code === "NOT_FOUND") return null; // destroyed meanwhile
        throw err;
      }
    });
  }

  async getCapacity(opts?: CallOptions): Promise<DriverHostCapacity[]> {
    return this.op("capacity", opts, async (signal) => {
      const { root } = await this.scope(signal);
      const hosts = await this.client.list(
        root,
        "HostSystem",
        [
          "name",
          "summary.hardware.numCpuCores",
          "summary.hardware.numCpuThreads",
          "summary.hardware.memorySize",
          "runtime.inMaintenanceMode",
          "runtime.connectionState",
          "datastore",
        ],
        signal,
        "hosts",
      );
      const stores = await this.client.list(root, "Datastore", ["name", "summary.capacity", "summary.freeSpace", "summary.accessible"], signal, "datastores");
      const byRef = new Map(stores.map((d) => [d.obj.value, d]));
      return hosts.map((h) => {
        const p = h.props;
        const threads = num(p["summary.hardware.numCpuThreads"]);
        const cores = num(p["summary.hardware.numCpuCores"]);
        const memory = num(p["summary.hardware.memorySize"]);
        if (!threads && !cores) throw new DriverError("PROVIDER", `vSphere answered host ${h.obj.value} without CPU information`, false);
        if (!memory) throw new DriverError("PROVIDER", `vSphere answered host ${h.obj.value} without its memory size`, false);
        const diskGb: { SSD?: number; HDD?: number } = {};
        for (const dsRef of morList(p.datastore)) {
          const ds = byRef.get(dsRef.value);
          if (!ds || bool(ds.props["summary.accessible"]) === false) continue;
          const tier = this.options.datastoreTiers[text(ds.props.name) ?? ""] ?? "SSD";
          diskGb[tier] = (diskGb[tier] ?? 0) + Math.floor((num(ds.props["summary.capacity"]) ?? 0) / 1024 ** 3);
        }
        return {
          ref: h.obj.value,
          name: text(p.name) ?? h.obj.value,
          vcpu: threads ?? cores ?? 0,
          memoryMb: Math.floor(memory / 1024 ** 2),
          diskGb,
          maintenance: bool(p["runtime.inMaintenanceMode"]) === true || (text(p["runtime.connectionState"]) ?? "connected") !== "connected",
        };
      });
    });
  }

  /**
   * The inventory behind "discover" on the providers page: datacenters, clusters with their
   * hosts, host capacity, and datastores with capacity and free space (GB) by tier.
   */
  async inventory(opts?: CallOptions): Promise<VsphereInventory> {
    const hosts = await this.getCapacity(opts);
    return this.op("inventory", opts, async (signal) => {
      const { root } = await this.scope(signal);
      const dcs = root.type === "Datacenter" ? [] : await this.client.list(root, "Datacenter", ["name"], signal, "datacenters");
      const clusters = await this.client.list(root, "ClusterComputeResource", ["name", "host", "parent"], signal, "clusters");
      const stores = await this.client.list(root, "Datastore", ["name", "summary.capacity", "summary.freeSpace", "summary.accessible", "summary.type"], signal, "datastores");
      const gb = (n: number | undefined) => Math.floor((n ?? 0) / 1024 ** 3);
      const datacenters = dcs.map((d) => ({ ref: d.obj.value, name: text(d.props.name) ?? d.obj.value }));
      if (root.type === "Datacenter" && !datacenters.some((d) => d.ref === root.value)) datacenters.push({ ref: root.value, name: this.options.datacenter ?? root.value });
      return {
        datacenters,
        clusters: clusters.map((c) => ({ ref: c.obj.value, name: text(c.props.name) ?? c.obj.value, hostRefs: morList(c.props.host).map((h) => h.value) })),
        hosts,
        datastores: stores.map((d) => ({
          ref: d.obj.value,
          name: text(d.props.name) ?? d.obj.value,
          type: text(d.props["summary.type"]) ?? null,
          tier: this.options.datastoreTiers[text(d.props.name) ?? ""] ?? "SSD",
          capacityGb: gb(num(d.props["summary.capacity"])),
          freeGb: gb(num(d.props["summary.freeSpace"])),
          accessible: bool(d.props["summary.accessible"]) !== false,
        })),
      };
    });
  }

  /**
   * The VM's latest real-time statistics (PerformanceManager, 20-s samples): CPU utilisation,
   * memory consumed, disk and network rates. NOT_FOUND for a VM that does not exist; null (no
   * sample) for a VM that is not powered on or has no statistics yet.
   */
  async metrics(ref: string, opts?: CallOptions): Promise<MachineMetricsReading | null> {
    return this.op("metrics", opts, async (signal) => {
      // First the VM itself: QueryPerf on a missing entity is not an error everywhere (vcsim
      // answers with generated data), so existence is checked on the VM.
      const vm = await this.vm(ref, signal, "metrics", ["runtime.powerState", "config.hardware.memoryMB"]);
      if (text(vm.props["runtime.powerState"]) !== "poweredOn") return null;
      const client = this.client;
      const sc = await client.ensureSession(signal);
      const pm = sc.perfManager;
      if (!pm) throw new DriverError("UNSUPPORTED", "this vSphere endpoint has no PerformanceManager", false);
      let counters = perfCounterCache.get(client);
      if (!counters) {
        const loading = client.properties(pm, ["perfCounter"], signal, "performance counters").then((o) => wantedCounters(counterKeys(o.props["perfCounter"])));
        perfCounterCache.set(client, loading);
        // A failed read is not cached.
        loading.catch(() => {
          if (perfCounterCache.get(client) === loading) perfCounterCache.delete(client);
        });
        counters = loading;
      }
      const ids = await counters;
      const keys = [...new Set(Object.values(ids))];
      if (!keys.length) throw new DriverError("UNSUPPORTED", "this vSphere endpoint has none of the CPU, memory, disk or network counters", false);
      const res = await client.call("QueryPerf", pm, queryPerfArgs(vm.obj, keys), signal, "metrics");
      return readingFromPerf(latestPerfValues(kids(res, "returnval")), ids, num(vm.props["config.hardware.memoryMB"]));
    });
  }

  async testConnection(opts?: CallOptions): Promise<{ version?: string }> {
    return this.op("connect", opts, async (signal) => {
      const sc = await this.client.ensureSession(signal);
      if (this.options.datacenter) await this.datacenter(signal);
      const a = sc.about;
      return { version: a.fullName ?? (a.version ? `vSphere ${a.version}` : undefined) };
    });
  }
}

// Microsoft Hyper-V driver: PowerShell's Hyper-V module run over WinRM (HTTPS, NTLMv2 or Basic).
// A template is a generalized VHDX on the host (or a share it reaches); each machine is a
// generation-2 VM whose disk is a differencing disk over it, grown to the offering's size, on
// the configured virtual switch, with static memory and the offering's processors. The VM's
// Notes carry the ownership tags, and its folder (orquestra-<machine id>) tags it from the moment
// New-VM creates it, so a retried provision finds it even if the Notes were never written.
// Tested without a real Hyper-V (none can run here): the transport against winrmtest behind TLS
// and NTLM, every script through a PowerShell parser and golden files, and the parsing of
// ConvertTo-Json's forms (README, "Providers and drivers").
import { safeName } from "../call";
import {
  DriverError,
  type CallOptions,
  type Capability,
  type Driver,
  type DriverConfig,
  type DriverHostCapacity,
  type DriverMachine,
  type DriverSnapshot,
  type MachineSpec,
  type ResizeTarget,
} from "../types";
import { hypervProfile } from "./profile";
import { listOf, readAnswer, toMachine, type HypervVm } from "./parse";
import { isGuid, scripts, type HostSettings } from "./scripts";
import { WinrmClient } from "./winrm";

export interface HypervOptions extends HostSettings {
  authentication: "ntlm" | "basic";
  diskTier: "SSD" | "HDD";
  callTimeoutMs: number;
}

const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);

export function hypervOptions(c: Record<string, unknown>): HypervOptions {
  return {
    virtualSwitch: str(c.virtualSwitch) ?? "",
    vmPath: str(c.vmPath),
    secureBootTemplate:
      c.secureBootTemplate === "MicrosoftWindows" || c.secureBootTemplate === "MicrosoftUEFICertificateAuthority" || c.secureBootTemplate === "Off" ? c.secureBootTemplate : undefined,
    stopTimeoutSeconds: typeof c.stopTimeoutSeconds === "number" ? c.stopTimeoutSeconds : 60,
    authentication: c.authentication === "basic" ? "basic" : "ntlm",
    diskTier: c.diskTier === "HDD" ? "HDD" : "SSD",
    // Creating a VM from a template takes a while on a busy host.
    callTimeoutMs: typeof c.callTimeoutMs === "number" ? c.callTimeoutMs : 120_000,
  };
}

export class HypervDriver implements Driver {
  readonly kind = "HYPERV" as const;
  readonly capabilities: ReadonlySet<Capability> = new Set<Capability>(hypervProfile.capabilities);
  private readonly options: HypervOptions;
  private readonly winrm: WinrmClient;

  constructor(config: DriverConfig) {
    this.options = hypervOptions(config.config);
    this.winrm = new WinrmClient({
      endpoint: config.endpoint || "https://localhost:5986/wsman",
      username: config.credentials.username ?? "",
      password: config.credentials.password ?? "",
      authentication: this.options.authentication,
      ca: config.credentials.ca,
      callTimeoutMs: this.options.callTimeoutMs,
    });
  }

  async close(): Promise<void> {
    await this.winrm.close();
  }

  private get where() {
    return `Hyper-V (${this.winrm.where})`;
  }

  private async run<T>(what: string, script: string, opts?: CallOptions): Promise<T> {
    return readAnswer<T>(await this.winrm.run(script, opts), what, this.where);
  }

  private notFound(ref: string): DriverError {
    return new DriverError("NOT_FOUND", `no Hyper-V VM ${ref} on ${this.winrm.where}`, false);
  }

  async testConnection(opts?: CallOptions): Promise<{ version?: string }> {
    if (!this.options.virtualSwitch) throw new DriverError("PROVIDER", "Set the virtual switch new machines connect to (provider settings)", false);
    const r = await this.run<{ host: string; psVersion: string; switchFound: boolean }>("check the host", scripts.testConnection(this.options), opts);
    if (!r.switchFound) throw new DriverError("PROVIDER", `The virtual switch "${this.options.virtualSwitch}" does not exist on ${r.host} (Get-VMSwitch)`, false);
    return { version: `Hyper-V on ${r.host}, PowerShell ${r.psVersion}` };
  }

  async getCapacity(opts?: CallOptions): Promise<DriverHostCapacity[]> {
    const r = await this.run<{ name: string; vcpu: number; memoryBytes: number; diskBytes: number }>("read the host's capacity", scripts.capacity(this.options), opts);
    const diskGb = Math.floor((r.diskBytes ?? 0) / 1_073_741_824);
    return [
      {
        ref: r.name,
        name: r.name,
        vcpu: r.vcpu,
        memoryMb: Math.floor(r.memoryBytes / 1_048_576),
        diskGb: this.options.diskTier === "HDD" ? { HDD: diskGb } : { SSD: diskGb },
      },
    ];
  }

  async listMachines(opts?: CallOptions): Promise<DriverMachine[]> {
    const r = await this.run<{ vms: HypervVm | HypervVm[] | null }>("list VMs", scripts.list(), opts);
    return listOf(r.vms).map((vm) => toMachine(vm));
  }

  async findByMachineId(machineId: string, opts?: CallOptions): Promise<DriverMachine | null> {
    if (!isGuid(machineId)) return null;
    const r = await this.run<{ vms: HypervVm | HypervVm[] | null }>("find a VM by machine id", scripts.findByMachineId(machineId), opts);
    const vm = listOf(r.vms)[0];
    return vm ? toMachine(vm) : null;
  }

  async getMachine(ref: string, opts?: CallOptions): Promise<DriverMachine> {
    if (!isGuid(ref)) throw this.notFound(ref);
    const r = await this.run<{ found: boolean; vm?: HypervVm; diskBytes?: number }>("read a VM", scripts.get(ref), opts);
    if (!r.found || !r.vm) throw this.notFound(ref);
    return toMachine(r.vm, r.diskBytes);
  }

  async provision(spec: MachineSpec, _idempotencyKey: string, opts?: CallOptions): Promise<DriverMachine> {
    if (!this.options.virtualSwitch) throw new DriverError("PROVIDER", "Set the virtual switch new machines connect to (provider settings)", false);
    if (!/\.vhdx$/i.test(spec.templateRef)) throw new DriverError("PROVIDER", `The template's ref on Hyper-V must be a .vhdx path (got ${spec.templateRef})`, false);
    const r = await this.run<{ vm: HypervVm }>(
      "create the VM",
      scripts.provision(this.options, {
        machineId: spec.machineId,
        installationId: spec.installationId,
        name: spec.name,
        vmName: safeName(spec.name, spec.machineId),
        vcpu: spec.vcpu,
        memoryMb: spec.memoryMb,
        diskGb: spec.diskGb,
        templateVhdx: spec.templateRef,
        osFamily: spec.osFamily ?? "LINUX",
      }),
      opts,
    );
    return toMachine(r.vm);
  }

  private async onVm(what: string, ref: string, script: (ref: string) => string, opts?: CallOptions): Promise<void> {
    if (!isGuid(ref)) throw this.notFound(ref);
    const r = await this.run<{ found: boolean }>(what, script(ref), opts);
    if (!r.found) throw this.notFound(ref);
  }

  start(ref: string, opts?: CallOptions) {
    return this.onVm("start the VM", ref, (r) => scripts.start(r), opts);
  }

  stop(ref: string, opts?: CallOptions) {
    return this.onVm("stop the VM", ref, (r) => scripts.stop(this.options, r), opts);
  }

  reboot(ref: string, opts?: CallOptions) {
    return this.onVm("restart the VM", ref, (r) => scripts.reboot(r), opts);
  }

  resize(ref: string, size: ResizeTarget, opts?: CallOptions) {
    return this.onVm("resize the VM", ref, (r) => scripts.resize(this.options, r, size), opts);
  }

  async destroy(ref: string, opts?: CallOptions): Promise<void> {
    if (!isGuid(ref)) return;
    // Already gone is fine.
    await this.run<{ found: boolean }>("delete the VM", scripts.destroy(ref), opts);
  }

  async snapshot(ref: string, name: string, opts?: CallOptions): Promise<DriverSnapshot> {
    if (!isGuid(ref)) throw this.notFound(ref);
    const r = await this.run<{ found: boolean; snapshot?: { id: string; name: string; created?: string } }>("take a checkpoint", scripts.snapshot(ref, name), opts);
    if (!r.found || !r.snapshot) throw this.notFound(ref);
    return { ref: r.snapshot.id.toLowerCase(), name: r.snapshot.name, createdAt: r.snapshot.created ? new Date(r.snapshot.created) : undefined };
  }

  async listSnapshots(ref: string, opts?: CallOptions): Promise<DriverSnapshot[]> {
    if (!isGuid(ref)) throw this.notFound(ref);
    const r = await this.run<{ found: boolean; snapshots?: { id: string; name: string; created?: string } | { id: string; name: string; created?: string }[] | null }>(
      "list checkpoints",
      scripts.listSnapshots(ref),
      opts,
    );
    if (!r.found) throw this.notFound(ref);
    return listOf(r.snapshots).map((s) => ({ ref: s.id.toLowerCase(), name: s.name, createdAt: s.created ? new Date(s.created) : undefined }));
  }

  async revertSnapshot(ref: string, snapshotRef: string, opts?: CallOptions): Promise<void> {
    if (!isGuid(ref)) throw this.notFound(ref);
    if (!isGuid(snapshotRef)) throw new DriverError("NOT_FOUND", `no checkpoint ${snapshotRef}`, false);
    const r = await this.run<{ found: boolean; snapshotFound?: boolean }>("restore the checkpoint", scripts.revertSnapshot(ref, snapshotRef), opts);
    if (!r.found) throw this.notFound(ref);
    if (!r.snapshotFound) throw new DriverError("NOT_FOUND", `VM ${ref} has no checkpoint ${snapshotRef}`, false);
  }

  async deleteSnapshot(ref: string, snapshotRef: string, opts?: CallOptions): Promise<void> {
    if (!isGuid(ref) || !isGuid(snapshotRef)) return;
    await this.run<{ found: boolean }>("delete the checkpoint", scripts.deleteSnapshot(ref, snapshotRef), opts);
  }
}

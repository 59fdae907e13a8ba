// Microsoft Azure driver (@azure/arm-compute 24.1.0, @azure/identity 4.13.1: the last releases
// for Node 20): one provider = one resource group in one location of one subscription, signed in
// as a service principal. A template is an image (a Marketplace URN publisher:offer:sku:version,
// or the resource id of a managed or gallery image), an offering is a VM size
// (OfferingProviderRef). Each machine is a VM, its network interface in the configured subnet and
// its managed OS disk (sized to the offering; Premium SSD, or Standard HDD), named after the
// machine id and tagged orquestra-machine-id / orquestra-installation-id: a PUT of the same name
// is idempotent, so a retried provision converges on the one VM. Stop deallocates (no compute
// billed). Snapshots are incremental snapshots of the OS disk; a revert swaps in a disk made from
// one. Contract-tested against Azure's published REST examples, not against Azure itself
// (README, "Providers and drivers").
import https from "node:https";
import { ClientSecretCredential } from "@azure/identity";
import { ComputeManagementClient, type VirtualMachine, type Snapshot as AzureSnapshot } from "@azure/arm-compute";
import { createComputeManagement, type ComputeManagementContext } from "@azure/arm-compute/api";
import { deadline, safeName, transportError } from "../call";
import {
  DriverError,
  type CallOptions,
  type Capability,
  type Driver,
  type DriverConfig,
  type DriverHostCapacity,
  type DriverMachine,
  type DriverMachineState,
  type DriverSize,
  type DriverSnapshot,
  type MachineSpec,
  type ResizeTarget,
} from "../types";
import { azureProfile } from "./profile";

export const MACHINE_ID_TAG = "orquestra-machine-id";
export const INSTALLATION_ID_TAG = "orquestra-installation-id";
/** On snapshots and restored disks: the VM they belong to. */
export const VM_TAG = "orquestra-vm";
export const SNAPSHOT_NAME_TAG = "orquestra-snapshot-name";
/** The Microsoft.Network API version of the network interface calls. */
export const NETWORK_API_VERSION = "2024-05-01";

export interface AzureOptions {
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  subnetId: string;
  adminUsername: string;
  sshPublicKey?: string;
  ssdDiskType: string;
  hddDiskType: string;
  authorityHost?: string;
  vcpuQuota: number;
  memoryQuotaGb?: number;
  ssdQuotaGb: number;
  hddQuotaGb: number;
  callTimeoutMs: number;
  /** Delay between polls of a long-running operation (Azure's Retry-After wins when sent). */
  pollIntervalMs: number;
}

const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);
const num = (v: unknown, d: number) => (typeof v === "number" && Number.isFinite(v) ? v : d);

export function azureOptions(c: Record<string, unknown>): AzureOptions {
  return {
    subscriptionId: str(c.subscriptionId) ?? "",
    resourceGroup: str(c.resourceGroup) ?? "",
    location: str(c.location) ?? "",
    subnetId: str(c.subnetId) ?? "",
    adminUsername: str(c.adminUsername) ?? "orquestra",
    sshPublicKey: str(c.sshPublicKey),
    ssdDiskType: str(c.ssdDiskType) ?? "Premium_LRS",
    hddDiskType: str(c.hddDiskType) ?? "Standard_LRS",
    authorityHost: str(c.authorityHost),
    vcpuQuota: num(c.vcpuQuota, 0),
    memoryQuotaGb: typeof c.memoryQuotaGb === "number" ? c.memoryQuotaGb : undefined,
    ssdQuotaGb: num(c.ssdQuotaGb, 51_200),
    hddQuotaGb: num(c.hddQuotaGb, 0),
    // VM creation on Azure takes minutes.
    callTimeoutMs: num(c.callTimeoutMs, 600_000),
    pollIntervalMs: num(c.pollIntervalMs, 5_000),
  };
}

/** Azure's power states (instance view "PowerState/..."), and a failed provisioning. */
export function mapAzureState(statuses: { code?: string }[] | undefined): DriverMachineState {
  const codes = (statuses ?? []).map((s) => s.code ?? "");
  if (codes.includes("ProvisioningState/failed") || codes.some((c) => c.startsWith("ProvisioningState/failed/"))) return "ERROR";
  const power = codes.find((c) => c.startsWith("PowerState/"))?.slice("PowerState/".length);
  switch (power) {
    case "running":
      return "RUNNING";
    case "deallocated":
    case "stopped":
      return "STOPPED";
    case "starting":
    case "stopping":
    case "deallocating":
      return "PENDING";
    default:
      return codes.some((c) => c === "ProvisioningState/creating" || c === "ProvisioningState/updating") ? "PENDING" : "UNKNOWN";
  }
}

/** A template ref as an imageReference: a Marketplace URN, or an image's resource id. */
export function imageReference(ref: string): { publisher: string; offer: string; sku: string; version: string } | { id: string } {
  const urn = ref.split(":");
  if (urn.length === 4 && urn.every(Boolean)) return { publisher: urn[0], offer: urn[1], sku: urn[2], version: urn[3] };
  if (/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Compute\/(images|galleries)\//i.test(ref)) return { id: ref };
  throw new DriverError("PROVIDER", `The template's ref on Azure must be an image URN (publisher:offer:sku:version) or an image's resource id (got ${ref})`, false);
}

type RestErrorLike = Error & { statusCode?: number; code?: string; details?: { error?: { code?: string; message?: string } } };

const AUTH_CODES = new Set(["AuthorizationFailed", "AuthenticationFailed", "InvalidAuthenticationToken", "InvalidAuthenticationTokenTenant", "LinkedAuthorizationFailed", "SubscriptionNotFound"]);
const CAPACITY_CODES = new Set(["OperationNotAllowed", "QuotaExceeded", "SkuNotAvailable", "AllocationFailed", "ZonalAllocationFailed", "OverconstrainedAllocationRequest"]);

export class AzureDriver implements Driver {
  readonly kind = "AZURE" as const;
  readonly capabilities: ReadonlySet<Capability> = new Set<Capability>(azureProfile.capabilities);
  private readonly options: AzureOptions;
  private readonly endpoint: string;
  private readonly credentials: Record<string, string>;
  private agent: https.Agent | undefined;
  private compute: ComputeManagementClient | undefined;
  private raw: ComputeManagementContext | undefined;

  constructor(config: DriverConfig) {
    this.options = azureOptions(config.config);
    this.endpoint = (config.endpoint.trim() || "https://management.azure.com").replace(/\/$/, "");
    this.credentials = config.credentials;
  }

  private get where() {
    return `Azure resource group ${this.options.resourceGroup || "(none)"}`;
  }

  private clients(): { compute: ComputeManagementClient; raw: ComputeManagementContext } {
    if (this.compute && this.raw) return { compute: this.compute, raw: this.raw };
    const o = this.options;
    const missing = (["subscriptionId", "resourceGroup", "location", "subnetId"] as const).filter((k) => !o[k]);
    if (missing.length) throw new DriverError("PROVIDER", `The provider's Azure settings are incomplete (${missing.join(", ")})`, false);
    const { tenantId, clientId, clientSecret, ca } = this.credentials;
    if (!tenantId || !clientId || !clientSecret) throw new DriverError("AUTH", "The provider has no service principal (tenant, client id and secret)", false);
    // Our own agent (a private CA for Azure Stack Hub or a test endpoint; sockets ours to close).
    this.agent = new https.Agent({ keepAlive: true, ca: ca || undefined });
    const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, {
      authorityHost: o.authorityHost,
      // A custom authority (Azure Stack Hub, a sovereign cloud) is not in Microsoft's instance list.
      disableInstanceDiscovery: Boolean(o.authorityHost),
      agent: this.agent,
      retryOptions: { maxRetries: 1 },
    });
    const common = { endpoint: this.endpoint, agent: this.agent, credentials: { scopes: [`${this.endpoint}/.default`] }, retryOptions: { maxRetries: 1 } };
    this.compute = new ComputeManagementClient(credential, o.subscriptionId, common);
    this.raw = createComputeManagement(credential, o.subscriptionId, common);
    return { compute: this.compute, raw: this.raw };
  }

  async close(): Promise<void> {
    this.agent?.destroy();
    this.agent = undefined;
    this.compute = undefined;
    this.raw = undefined;
  }

  /** One Azure call under a deadline, its failure mapped into a DriverError. */
  private async call<T>(what: string, opts: CallOptions | undefined, fn: (c: { compute: ComputeManagementClient; raw: ComputeManagementContext }, abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    const clients = this.clients();
    const signal = deadline(opts, this.options.callTimeoutMs);
    try {
      return await fn(clients, signal);
    } catch (err) {
      throw this.mapError(err, what, signal);
    }
  }

  mapError(err: unknown, what: string, signal?: AbortSignal): DriverError {
    if (err instanceof DriverError) return err;
    const e = err as RestErrorLike;
    const name = (err as Error)?.name ?? "";
    // @azure/identity: the tenant, client or secret was refused.
    if (name === "AuthenticationRequiredError" || name === "CredentialUnavailableError" || name === "AuthenticationError") {
      const message = ((err as Error).message ?? "").split("\n")[0].slice(0, 300);
      if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|socket hang up|network/i.test(message)) return new DriverError("UNAVAILABLE", `Microsoft Entra ID is unreachable for ${what}: ${message}`);
      return new DriverError("AUTH", `Microsoft Entra ID refused the service principal (${what}): ${message}`, false);
    }
    const transport = transportError(err, this.where, signal);
    if (transport) return transport;
    const code = e.details?.error?.code ?? e.code ?? "";
    const message = (e.details?.error?.message ?? e.message ?? String(err)).replace(/\s+/g, " ").slice(0, 400);
    const status = e.statusCode ?? 0;
    if (status === 401 || AUTH_CODES.has(code)) return new DriverError("AUTH", `${this.where}: the service principal may not ${what} (${code || status}): ${message}`, false);
    if (status === 404 || code === "ResourceNotFound" || code === "NotFound" || code === "ResourceGroupNotFound") return new DriverError("NOT_FOUND", `${what}: ${message}`, false);
    if (CAPACITY_CODES.has(code) && /quota|capacity|allocat|not available|sku/i.test(message)) return new DriverError("CAPACITY", `${this.where}: ${what}: ${message}`, false);
    if (status === 429 || status >= 500) return new DriverError("UNAVAILABLE", `${this.where} is busy or unavailable (${code || status}); ${what} will be retried`);
    if (status >= 400) return new DriverError("PROVIDER", `${what} (${code || status}): ${message}`, false);
    return new DriverError("PROVIDER", `${this.where} answered ${what} in an unexpected way: ${message}`, false);
  }

  // ----------------------------------------------------------------------------- naming

  private names(ref: string) {
    return { vm: ref, nic: `${ref}-nic`, osDisk: `${ref}-osdisk` };
  }

  /** The VM name of a machine: its name and id, so one machine is always one VM (PUT is idempotent). */
  vmName(spec: Pick<MachineSpec, "name" | "machineId">): string {
    return safeName(spec.name, spec.machineId.replace(/-/g, ""), 64);
  }

  private nicPath(name: string) {
    return this.clients().raw.path(
      "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/networkInterfaces/{networkInterfaceName}",
      this.options.subscriptionId,
      this.options.resourceGroup,
      name,
    );
  }

  // ----------------------------------------------------------------------------- reading

  private toMachine(vm: VirtualMachine): DriverMachine {
    const tags = vm.tags ?? {};
    return {
      ref: vm.name!,
      machineId: tags[MACHINE_ID_TAG] ?? null,
      installationId: tags[INSTALLATION_ID_TAG] ?? null,
      name: vm.name!,
      state: mapAzureState(vm.instanceView?.statuses),
      diskGb: vm.storageProfile?.osDisk?.diskSizeGB,
      hostRef: this.options.location,
    };
  }

  private async withSize(m: DriverMachine, vm: VirtualMachine, opts?: CallOptions): Promise<DriverMachine> {
    const size = vm.hardwareProfile?.vmSize;
    if (!size) return m;
    const known = (await this.sizeTable(opts)).get(size);
    return known ? { ...m, vcpu: known.vcpu, memoryMb: known.memoryMb } : m;
  }

  private sizes: Map<string, DriverSize> | undefined;

  private async sizeTable(opts?: CallOptions): Promise<Map<string, DriverSize>> {
    if (this.sizes) return this.sizes;
    const list = await this.call("list VM sizes", opts, async ({ compute }, abortSignal) => {
      const out: DriverSize[] = [];
      for await (const s of compute.virtualMachineSizes.list(this.options.location, { abortSignal })) {
        if (s.name && s.numberOfCores && s.memoryInMB) out.push({ ref: s.name, vcpu: s.numberOfCores, memoryMb: s.memoryInMB });
      }
      return out;
    });
    this.sizes = new Map(list.map((s) => [s.ref, s]));
    return this.sizes;
  }

  private async getVm(name: string, opts?: CallOptions): Promise<VirtualMachine | null> {
    try {
      return await this.call(`read VM ${name}`, opts, ({ compute }, abortSignal) =>
        compute.virtualMachines.get(this.options.resourceGroup, name, { expand: "instanceView", abortSignal }),
      );
    } catch (err) {
      if (err instanceof DriverError && err.code === "NOT_FOUND") return null;
      throw err;
    }
  }

  async getMachine(ref: string, opts?: CallOptions): Promise<DriverMachine> {
    const vm = await this.getVm(ref, opts);
    if (!vm) throw new DriverError("NOT_FOUND", `no Azure VM ${ref} in ${this.where}`, false);
    return this.withSize(this.toMachine(vm), vm, opts);
  }

  private async listVms(opts?: CallOptions): Promise<VirtualMachine[]> {
    return this.call("list VMs", opts, async ({ compute }, abortSignal) => {
      const out: VirtualMachine[] = [];
      for await (const vm of compute.virtualMachines.list(this.options.resourceGroup, { abortSignal })) out.push(vm);
      return out;
    });
  }

  async listMachines(opts?: CallOptions): Promise<DriverMachine[]> {
    const vms = await this.listVms(opts);
    // The list carries no power state: each VM's instance view says it.
    const out: DriverMachine[] = [];
    for (const vm of vms) {
      const full = (await this.getVm(vm.name!, opts)) ?? vm;
      out.push(await this.withSize(this.toMachine(full), full, opts));
    }
    return out;
  }

  async findByMachineId(machineId: string, opts?: CallOptions): Promise<DriverMachine | null> {
    const vm = (await this.listVms(opts)).find((v) => v.tags?.[MACHINE_ID_TAG] === machineId);
    return vm ? this.getMachine(vm.name!, opts) : null;
  }

  async testConnection(opts?: CallOptions): Promise<{ version?: string }> {
    // Signs in, checks the subscription, location and quota in one call.
    const cores = await this.call("read the location's quota", opts, async ({ compute }, abortSignal) => {
      for await (const u of compute.usage.list(this.options.location, { abortSignal })) if (u.name?.value === "cores") return u;
      return null;
    });
    // The subnet machines join must exist.
    const subnet: { status: string; body: unknown } = await this.call("check the subnet", opts, ({ raw }, abortSignal) =>
      raw.path(this.options.subnetId as "/").get({ queryParameters: { "api-version": NETWORK_API_VERSION }, abortSignal }),
    );
    if (subnet.status === "404") throw new DriverError("PROVIDER", `Subnet ${this.options.subnetId} does not exist`, false);
    if (!subnet.status.startsWith("2")) throw this.restFailure(subnet, "check the subnet");
    return { version: `Azure ${this.options.location}${cores ? `, ${cores.currentValue} of ${cores.limit} regional vCPUs in use` : ""}` };
  }

  async getCapacity(opts?: CallOptions): Promise<DriverHostCapacity[]> {
    const o = this.options;
    const cores = await this.call("read the location's quota", opts, async ({ compute }, abortSignal) => {
      for await (const u of compute.usage.list(o.location, { abortSignal })) if (u.name?.value === "cores") return u;
      return null;
    });
    if (o.vcpuQuota <= 0) throw new DriverError("PROVIDER", "Set the provider's vCPU quota (what the portal may use in this location) before discovering hosts", false);
    // Never more than the subscription's own regional limit.
    const vcpu = cores ? Math.min(o.vcpuQuota, cores.limit) : o.vcpuQuota;
    return [{ ref: o.location, name: `${o.location} (Azure)`, vcpu, memoryMb: Math.round((o.memoryQuotaGb ?? vcpu * 8) * 1024), diskGb: { SSD: o.ssdQuotaGb, HDD: o.hddQuotaGb } }];
  }

  async listSizes(opts?: CallOptions): Promise<DriverSize[]> {
    return [...(await this.sizeTable(opts)).values()].sort((a, b) => a.vcpu - b.vcpu || a.memoryMb - b.memoryMb || a.ref.localeCompare(b.ref));
  }

  private restFailure(res: { status: string; body: unknown }, what: string): DriverError {
    const body = res.body as { error?: { code?: string; message?: string } } | undefined;
    const e = Object.assign(new Error(body?.error?.message ?? `HTTP ${res.status}`), { statusCode: Number(res.status), code: body?.error?.code });
    return this.mapError(e, what);
  }

  // ----------------------------------------------------------------------------- lifecycle

  async provision(spec: MachineSpec, _idempotencyKey: string, opts?: CallOptions): Promise<DriverMachine> {
    const o = this.options;
    const name = this.vmName(spec);
    const existing = await this.getVm(name, opts);
    if (existing && existing.provisioningState !== "Failed") {
      const m = this.toMachine(existing);
      return m.state === "RUNNING" ? this.withSize(m, existing, opts) : (await this.start(name, opts), this.getMachine(name, opts));
    }
    if (!spec.sizeRef) throw new DriverError("PROVIDER", "No Azure VM size is mapped to this offering on the provider (set it under Offering sizes on the provider page)", false);
    const image = imageReference(spec.templateRef);
    const windows = spec.osFamily === "WINDOWS";
    const adminPassword = this.credentials.adminPassword;
    if (windows && !adminPassword) throw new DriverError("PROVIDER", "Windows machines on Azure need the administrator password (provider credentials)", false);
    if (!windows && !o.sshPublicKey && !adminPassword) throw new DriverError("PROVIDER", "Linux machines on Azure need an SSH public key (provider settings) or an administrator password", false);
    const tags = { [MACHINE_ID_TAG]: spec.machineId, [INSTALLATION_ID_TAG]: spec.installationId, "orquestra-name": spec.name };
    const n = this.names(name);

    // The network interface first (PUT: creating it twice is the same interface).
    const nic = await this.call("create the network interface", opts, async (_c, abortSignal) => {
      const res = await this.nicPath(n.nic).put({
        body: { location: o.location, tags, properties: { ipConfigurations: [{ name: "ipconfig1", properties: { subnet: { id: o.subnetId }, privateIPAllocationMethod: "Dynamic" } }] } },
        queryParameters: { "api-version": NETWORK_API_VERSION },
        abortSignal,
      });
      if (res.status !== "200" && res.status !== "201") throw this.restFailure(res, "create the network interface");
      return res.body as { id: string };
    });

    const vm = await this.call("create the VM", opts, ({ compute }, abortSignal) =>
      compute.virtualMachines.createOrUpdate(
        o.resourceGroup,
        name,
        {
          location: o.location,
          tags,
          hardwareProfile: { vmSize: spec.sizeRef! },
          storageProfile: {
            imageReference: image,
            osDisk: {
              name: n.osDisk,
              createOption: "FromImage",
              diskSizeGB: spec.diskGb,
              caching: "ReadWrite",
              deleteOption: "Delete",
              managedDisk: { storageAccountType: spec.diskTier === "HDD" ? o.hddDiskType : o.ssdDiskType },
            },
          },
          osProfile: {
            // Windows computer names: at most 15 characters.
            computerName: windows ? `orq${spec.machineId.replace(/-/g, "").slice(0, 12)}` : name,
            adminUsername: o.adminUsername,
            ...(adminPassword ? { adminPassword } : {}),
            ...(windows
              ? {}
              : o.sshPublicKey
                ? { linuxConfiguration: { disablePasswordAuthentication: true, ssh: { publicKeys: [{ path: `/home/${o.adminUsername}/.ssh/authorized_keys`, keyData: o.sshPublicKey }] } } }
                : {}),
          },
          networkProfile: { networkInterfaces: [{ id: nic.id, primary: true, deleteOption: "Delete" }] },
        },
        { abortSignal, updateIntervalInMs: o.pollIntervalMs },
      ),
    );
    return this.getMachine(vm.name ?? name, opts);
  }

  private async power(what: string, ref: string, opts: CallOptions | undefined, op: "start" | "deallocate" | "restart"): Promise<void> {
    await this.call(what, opts, ({ compute }, abortSignal) => compute.virtualMachines[op](this.options.resourceGroup, ref, { abortSignal, updateIntervalInMs: this.options.pollIntervalMs }));
  }

  async start(ref: string, opts?: CallOptions): Promise<void> {
    const m = await this.getMachine(ref, opts);
    if (m.state !== "RUNNING") await this.power("start the VM", ref, opts, "start");
  }

  async stop(ref: string, opts?: CallOptions): Promise<void> {
    const m = await this.getMachine(ref, opts);
    // Deallocated, not just powered off: Azure stops billing the compute.
    if (m.state !== "STOPPED") await this.power("deallocate the VM", ref, opts, "deallocate");
  }

  async reboot(ref: string, opts?: CallOptions): Promise<void> {
    await this.getMachine(ref, opts);
    await this.power("restart the VM", ref, opts, "restart");
  }

  async resize(ref: string, size: ResizeTarget, opts?: CallOptions): Promise<void> {
    if (!size.sizeRef) throw new DriverError("PROVIDER", "No Azure VM size is mapped to the new offering on this provider", false);
    const vm = await this.getVm(ref, opts);
    if (!vm) throw new DriverError("NOT_FOUND", `no Azure VM ${ref} in ${this.where}`, false);
    const wasRunning = mapAzureState(vm.instanceView?.statuses) === "RUNNING";
    const growDisk = size.diskGb !== undefined && (vm.storageProfile?.osDisk?.diskSizeGB ?? 0) < size.diskGb;
    if (vm.hardwareProfile?.vmSize === size.sizeRef && !growDisk) return;
    // A new size may need other hardware, and a disk grows only while deallocated.
    if (wasRunning) await this.power("deallocate the VM", ref, opts, "deallocate");
    if (growDisk) {
      const diskName = vm.storageProfile?.osDisk?.name ?? this.names(ref).osDisk;
      await this.call("grow the OS disk", opts, ({ compute }, abortSignal) =>
        compute.disks.update(this.options.resourceGroup, diskName, { diskSizeGB: size.diskGb }, { abortSignal, updateIntervalInMs: this.options.pollIntervalMs }),
      );
    }
    if (vm.hardwareProfile?.vmSize !== size.sizeRef) {
      await this.call("change the VM size", opts, ({ compute }, abortSignal) =>
        compute.virtualMachines.update(this.options.resourceGroup, ref, { hardwareProfile: { vmSize: size.sizeRef! } }, { abortSignal, updateIntervalInMs: this.options.pollIntervalMs }),
      );
    }
    if (wasRunning) await this.power("start the VM", ref, opts, "start");
  }

  async destroy(ref: string, opts?: CallOptions): Promise<void> {
    const o = this.options;
    const n = this.names(ref);
    const snapshots = await this.snapshotsOf(ref, opts);
    // The VM's NIC and OS disk go with it (deleteOption Delete); a NIC or disk left by a
    // provision that failed half-way is removed by name.
    await this.call("delete the VM", opts, ({ compute }, abortSignal) => compute.virtualMachines.delete(o.resourceGroup, ref, { abortSignal, updateIntervalInMs: o.pollIntervalMs })).catch(
      (err: unknown) => {
        if (!(err instanceof DriverError && err.code === "NOT_FOUND")) throw err;
      },
    );
    await this.call("delete the network interface", opts, async (_c, abortSignal) => {
      const res = await this.nicPath(n.nic).delete({ queryParameters: { "api-version": NETWORK_API_VERSION }, abortSignal });
      if (!["200", "202", "204", "404"].includes(res.status)) throw this.restFailure(res, "delete the network interface");
    });
    await this.call("delete the OS disk", opts, ({ compute }, abortSignal) => compute.disks.delete(o.resourceGroup, n.osDisk, { abortSignal, updateIntervalInMs: o.pollIntervalMs })).catch(
      (err: unknown) => {
        if (!(err instanceof DriverError && err.code === "NOT_FOUND")) throw err;
      },
    );
    for (const s of snapshots) await this.deleteSnapshot(ref, s.name!, opts);
  }

  // ----------------------------------------------------------------------------- snapshots

  private async snapshotsOf(ref: string, opts?: CallOptions): Promise<AzureSnapshot[]> {
    return this.call("list snapshots", opts, async ({ compute }, abortSignal) => {
      const out: AzureSnapshot[] = [];
      for await (const s of compute.snapshots.listByResourceGroup(this.options.resourceGroup, { abortSignal })) if (s.tags?.[VM_TAG] === ref) out.push(s);
      return out;
    });
  }

  private snapshotResourceName(ref: string, name: string) {
    return safeName(`${ref}-${name}`, "snap", 80);
  }

  async snapshot(ref: string, name: string, opts?: CallOptions): Promise<DriverSnapshot> {
    const vm = await this.getVm(ref, opts);
    if (!vm) throw new DriverError("NOT_FOUND", `no Azure VM ${ref} in ${this.where}`, false);
    const diskId = vm.storageProfile?.osDisk?.managedDisk?.id;
    if (!diskId) throw new DriverError("PROVIDER", `Azure VM ${ref} has no managed OS disk to snapshot`, false);
    // PUT by a name made of the VM's and the snapshot's: a second call is the same snapshot.
    const s = await this.call("take a snapshot", opts, ({ compute }, abortSignal) =>
      compute.snapshots.createOrUpdate(
        this.options.resourceGroup,
        this.snapshotResourceName(ref, name),
        {
          location: this.options.location,
          tags: { ...(vm.tags ?? {}), [VM_TAG]: ref, [SNAPSHOT_NAME_TAG]: name },
          creationData: { createOption: "Copy", sourceResourceId: diskId },
          incremental: true,
        },
        { abortSignal, updateIntervalInMs: this.options.pollIntervalMs },
      ),
    );
    return { ref: s.name!, name, createdAt: s.timeCreated };
  }

  async listSnapshots(ref: string, opts?: CallOptions): Promise<DriverSnapshot[]> {
    return (await this.snapshotsOf(ref, opts))
      .map((s) => ({ ref: s.name!, name: s.tags?.[SNAPSHOT_NAME_TAG] ?? s.name!, createdAt: s.timeCreated }))
      .sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
  }

  /** Deallocates, makes a disk from the snapshot, swaps it in as the OS disk, deletes the old one, starts again if it ran. */
  async revertSnapshot(ref: string, snapshotRef: string, opts?: CallOptions): Promise<void> {
    const o = this.options;
    const vm = await this.getVm(ref, opts);
    if (!vm) throw new DriverError("NOT_FOUND", `no Azure VM ${ref} in ${this.where}`, false);
    const snap = await this.call("read the snapshot", opts, ({ compute }, abortSignal) => compute.snapshots.get(o.resourceGroup, snapshotRef, { abortSignal }));
    if (snap.tags?.[VM_TAG] !== ref) throw new DriverError("NOT_FOUND", `snapshot ${snapshotRef} is not one of VM ${ref}`, false);
    const wasRunning = mapAzureState(vm.instanceView?.statuses) === "RUNNING";
    const oldDisk = vm.storageProfile?.osDisk;
    // One restored disk per revert operation (a retry of the same operation reuses it).
    const diskName = safeName(`${ref}-osdisk`, (opts?.idempotencyKey ?? `${Date.now()}`).replace(/[^a-z0-9]/gi, "").slice(-8), 80);
    if (wasRunning) await this.power("deallocate the VM", ref, opts, "deallocate");
    const disk = await this.call("create a disk from the snapshot", opts, ({ compute }, abortSignal) =>
      compute.disks.createOrUpdate(
        o.resourceGroup,
        diskName,
        {
          location: o.location,
          tags: { ...(vm.tags ?? {}), [VM_TAG]: ref },
          sku: { name: (oldDisk?.managedDisk?.storageAccountType as "Premium_LRS") ?? "Premium_LRS" },
          creationData: { createOption: "Copy", sourceResourceId: snap.id },
          diskSizeGB: oldDisk?.diskSizeGB,
        },
        { abortSignal, updateIntervalInMs: o.pollIntervalMs },
      ),
    );
    if (oldDisk?.managedDisk?.id !== disk.id) {
      await this.call("swap the OS disk", opts, ({ compute }, abortSignal) =>
        compute.virtualMachines.update(
          o.resourceGroup,
          ref,
          { storageProfile: { osDisk: { createOption: "Attach", name: disk.name, managedDisk: { id: disk.id }, deleteOption: "Delete" } } },
          { abortSignal, updateIntervalInMs: o.pollIntervalMs },
        ),
      );
      if (oldDisk?.name) {
        await this.call("delete the old OS disk", opts, ({ compute }, abortSignal) => compute.disks.delete(o.resourceGroup, oldDisk.name!, { abortSignal, updateIntervalInMs: o.pollIntervalMs }));
      }
    }
    if (wasRunning) await this.power("start the VM", ref, opts, "start");
  }

  async deleteSnapshot(_ref: string, snapshotRef: string, opts?: CallOptions): Promise<void> {
    await this.call("delete the snapshot", opts, ({ compute }, abortSignal) =>
      compute.snapshots.delete(this.options.resourceGroup, snapshotRef, { abortSignal, updateIntervalInMs: this.options.pollIntervalMs }),
    ).catch((err: unknown) => {
      if (!(err instanceof DriverError && err.code === "NOT_FOUND")) throw err;
    });
  }
}

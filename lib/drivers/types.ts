// The driver contract, modelled on Apache libcloud's NodeDriver: a small required core,
// optional capabilities declared as flags, provider states mapped into our own, typed errors.
// Every hypervisor driver implements it and passes the same conformance suite.
import type { DiskTier, ProviderKind } from "../generated/prisma/enums";
import type { WorkloadEngine } from "./workload-types";

/** Power/lifecycle state as a driver reports it, mapped from the provider's own states. */
export type DriverMachineState = "RUNNING" | "STOPPED" | "PAUSED" | "PENDING" | "ERROR" | "UNKNOWN";

/**
 * migrate: moves a machine to another host of the provider (a stopped one at least);
 * liveMigrate: moves a running machine without stopping it; backup: exports the machine's disk
 * as a stream and restores/imports one; ha: fences a failed host and restarts its machines on
 * another host; cloudInit: the machine boots with `spec.userData` (a NoCloud seed, an instance
 * config key, EC2 user data, guestinfo), see lib/access.
 */
export type Capability = "snapshots" | "resize" | "console" | "metrics" | "migrate" | "liveMigrate" | "backup" | "ha" | "cloudInit";

/**
 * Ownership tags: written on every provider resource Orquestra creates (labels, annotations,
 * notes, metadata: whatever the provider has), so a resource can always be traced back to its
 * machine and removed when no machine owns it. The installation id keeps two portals sharing
 * one provider out of each other's way.
 */
export interface Ownership {
  machineId: string;
  installationId: string;
}

export interface MachineSpec extends Ownership {
  /** Orquestra's machine id: marked on the provider resource, the idempotency anchor. */
  machineId: string;
  /** This installation of Orquestra (the Installation row): marked next to the machine id. */
  installationId: string;
  name: string;
  vcpu: number;
  memoryMb: number;
  diskGb: number;
  diskTier: DiskTier;
  /** The template's native reference on this provider (image alias, template VM, ...). */
  templateRef: string;
  /** The host chosen by placement (its externalRef), when the provider has several. */
  hostRef?: string | null;
  osFamily?: "LINUX" | "WINDOWS";
  /**
   * The offering's size on this provider, for kinds that sell fixed shapes (an EC2 instance
   * type, an Azure VM size: OfferingProviderRef). Hypervisors ignore it and take the numbers.
   */
  sizeRef?: string | null;
  /**
   * Cloud-init user data: the merged #cloud-config (template user data + the requester's SSH
   * keys + hostname, lib/access/cloud-config.ts). Drivers with the "cloudInit" capability boot
   * the machine with it; others ignore it. Absent: nothing to inject (a restore, an import).
   */
  userData?: string | null;
  /** The SSH public key lines inside userData, for drivers that pass keys another way (Docker env). */
  sshKeys?: readonly string[];
}

/** A fixed shape a cloud sells (an EC2 instance type, an Azure VM size). */
export interface DriverSize {
  ref: string;
  vcpu: number;
  memoryMb: number;
}

/** What a resize asks for: the reservation's numbers, and the size on kinds that sell shapes. */
export interface ResizeTarget {
  vcpu: number;
  memoryMb: number;
  diskGb?: number;
  sizeRef?: string | null;
}

export interface DriverMachine {
  /** The provider's own id (VM moref, domain name, container id). */
  ref: string;
  /** Ownership tags read back from the resource (null: not created by Orquestra). */
  machineId: string | null;
  installationId: string | null;
  name: string;
  state: DriverMachineState;
  vcpu?: number;
  memoryMb?: number;
  diskGb?: number;
  hostRef?: string | null;
  ipAddress?: string | null;
}

export interface DriverHostCapacity {
  ref: string;
  name: string;
  vcpu: number;
  memoryMb: number;
  diskGb: { SSD?: number; HDD?: number };
  /** Host maintenance as the provider knows it. */
  maintenance?: boolean;
  /** false: the provider lists the host but reports it down or unreachable (no heartbeat). */
  healthy?: boolean;
}

/** A machine's disk as a byte stream (a backup being written). */
export interface BackupExport {
  /** What the bytes are: "sim-image", "docker-image-tar", "lxd-backup-tar", "qcow2". */
  format: string;
  stream: NodeJS.ReadableStream;
}

/** A verified backup to read back (restore, import): `open` may be called again on a retry. */
export interface BackupSource {
  format: string;
  sizeBytes: number;
  open: () => NodeJS.ReadableStream;
}

export interface DriverSnapshot {
  ref: string;
  name: string;
  createdAt?: Date;
}

export type DriverErrorCode = "AUTH" | "NOT_FOUND" | "UNSUPPORTED" | "CAPACITY" | "UNAVAILABLE" | "PROVIDER" | "TIMEOUT";

export class DriverError extends Error {
  constructor(
    public readonly code: DriverErrorCode,
    message: string,
    public readonly retryable: boolean = code === "UNAVAILABLE" || code === "TIMEOUT",
  ) {
    super(message);
    this.name = "DriverError";
  }
}

export interface CallOptions {
  /** Aborts the provider call (per-operation timeout). */
  signal?: AbortSignal;
  /**
   * Derived from the operation id: a re-run of the same operation passes the same key, and a
   * driver that creates something (a snapshot, an instance) finds the earlier result instead
   * of creating a second one (AWS ClientToken is the model).
   */
  idempotencyKey?: string;
}

export interface Driver {
  readonly kind: ProviderKind;
  readonly capabilities: ReadonlySet<Capability>;

  /** Creates the machine, or returns the one already created for this idempotency key. */
  provision(spec: MachineSpec, idempotencyKey: string, opts?: CallOptions): Promise<DriverMachine>;
  getMachine(ref: string, opts?: CallOptions): Promise<DriverMachine>;
  start(ref: string, opts?: CallOptions): Promise<void>;
  stop(ref: string, opts?: CallOptions): Promise<void>;
  reboot(ref: string, opts?: CallOptions): Promise<void>;
  /** Removes the machine and its storage; succeeds when it is already gone. */
  destroy(ref: string, opts?: CallOptions): Promise<void>;
  listMachines(opts?: CallOptions): Promise<DriverMachine[]>;
  /**
   * The resource tagged with this machine id (by ownership tag, whatever its name or provider
   * id), or null when none exists: how a machine whose provider ref was lost is found again.
   */
  findByMachineId(machineId: string, opts?: CallOptions): Promise<DriverMachine | null>;
  getCapacity(opts?: CallOptions): Promise<DriverHostCapacity[]>;
  /** Checks the endpoint and credentials (the "Test connection" button). */
  testConnection(opts?: CallOptions): Promise<{ version?: string }>;

  resize?(ref: string, size: ResizeTarget, opts?: CallOptions): Promise<void>;
  /** Gives the machine another display name on the provider (idempotent); absent: the portal renames only. */
  rename?(ref: string, name: string, opts?: CallOptions): Promise<void>;
  /**
   * The machine's resource use now (capability "metrics"): cumulative counters, or the provider's
   * own latest figures (see MachineMetricsReading). null: the provider has no sample of this
   * machine yet (CloudWatch without datapoints, vSphere without real-time statistics): "no
   * sample", never a reading of zeros.
   */
  metrics?(ref: string, opts?: CallOptions): Promise<MachineMetricsReading | null>;
  /** The sizes the provider sells here (kinds with `sizing: "mapped"`), for the offering mapping. */
  listSizes?(opts?: CallOptions): Promise<DriverSize[]>;
  /** Idempotent by name: when a snapshot of that name exists, returns it instead of taking another. */
  snapshot?(ref: string, name: string, opts?: CallOptions): Promise<DriverSnapshot>;
  /** The machine's snapshots (capability "snapshots"). */
  listSnapshots?(ref: string, opts?: CallOptions): Promise<DriverSnapshot[]>;
  revertSnapshot?(ref: string, snapshotRef: string, opts?: CallOptions): Promise<void>;
  deleteSnapshot?(ref: string, snapshotRef: string, opts?: CallOptions): Promise<void>;
  /**
   * Moves the machine to another host of the same provider (capability "migrate"); a running
   * machine only with "liveMigrate" (else the caller stops it first). Idempotent: a machine
   * already on hostRef is left as it is.
   */
  migrate?(ref: string, hostRef: string, opts?: CallOptions): Promise<void>;
  /** Exports the machine's disk, from a consistent point (a snapshot), as a stream (capability "backup"). */
  exportBackup?(ref: string, opts?: CallOptions): Promise<BackupExport>;
  /** Replaces the machine's disk with a backup; may return a new ref (capability "backup"). */
  restoreBackup?(ref: string, source: BackupSource, opts?: CallOptions): Promise<{ ref: string }>;
  /** Creates a new machine from a backup, idempotent by key like provision (capability "backup"). */
  importBackup?(spec: MachineSpec, source: BackupSource, idempotencyKey: string, opts?: CallOptions): Promise<DriverMachine>;
  /**
   * Powers a failed host off through its management interface (IPMI, the hypervisor manager),
   * so nothing on it runs any more (capability "ha"). Succeeds only when the host is off.
   */
  fenceHost?(hostRef: string, opts?: CallOptions): Promise<void>;
  /** Registers and starts the machine on hostRef after its host was fenced (shared storage; capability "ha"). */
  recoverOn?(ref: string, hostRef: string, opts?: CallOptions): Promise<void>;
  /** Container workloads with replicas (lib/drivers/workload-types.ts), on kinds that run them. */
  readonly workloads?: WorkloadEngine;
  /**
   * Opens an interactive console on a running machine (capability "console"; the profile's
   * `console` says which kind): a shell (terminal bytes both ways) or a VNC screen (raw RFB).
   * The session owns its connection; the caller closes it (and then the driver).
   */
  openConsole?(ref: string, opts?: ConsoleOptions): Promise<ConsoleSession>;
  /**
   * Frees what the driver holds (sessions, timers, connections, child processes). Called in
   * `finally` by whoever built the driver; the driver is not used afterwards.
   */
  close(): Promise<void>;
}

/**
 * One reading of a machine's resource use (capability "metrics"). Counters are cumulative since
 * the machine (or its current run) started, as the provider reports them: the sampler turns two
 * readings into rates and "since the last sample" amounts (lib/monitoring/delta.ts). A driver
 * that knows the utilisation directly (the simulator's load profile) also sets cpuPercent.
 */
export interface MachineMetricsReading {
  at: Date;
  /** CPU time used by the machine, nanoseconds, cumulative (all vCPUs together). */
  cpuTimeNs?: number;
  /** CPU utilisation over the provider's own last interval, 0..100 of the machine's vCPUs. */
  cpuPercent?: number;
  /** vCPUs the CPU time is shared over (defaults to the machine's reservation). */
  vcpu?: number;
  memoryUsedBytes: number;
  memoryTotalBytes?: number;
  diskReadBytes: number;
  diskWriteBytes: number;
  netInBytes: number;
  netOutBytes: number;
  /**
   * Providers that keep statistics themselves (vSphere's PerformanceManager, CloudWatch) report
   * disk and network as average rates over their own last interval instead of counters: bytes
   * per second over `seconds`. When set, the counter fields above are 0 and the sample's amounts
   * are these rates over the time since the previous sample (lib/monitoring/delta.ts).
   */
  rates?: { seconds: number; diskReadBps: number; diskWriteBps: number; netInBps: number; netOutBps: number };
}

/** What a driver is built from: the provider row, with credentials already decrypted. */
export interface DriverConfig {
  providerId: string;
  endpoint: string;
  credentials: Record<string, string>;
  config: Record<string, unknown>;
}

/** How a console session starts (shell consoles: the terminal's size). */
export interface ConsoleOptions extends CallOptions {
  cols?: number;
  rows?: number;
}

/** One open console (Driver.openConsole): bytes to and from the machine's terminal or screen. */
export interface ConsoleSession {
  kind: "shell" | "vnc";
  /** Terminal output or RFB from the machine. */
  readonly output: NodeJS.ReadableStream;
  /** Sends keystrokes (shell) or RFB (vnc) to the machine. */
  write(data: Buffer): void;
  /** Shell consoles: the terminal's new size. */
  resize?(cols: number, rows: number): Promise<void>;
  /** Ends the session (idempotent); `output` ends too. */
  close(): Promise<void>;
  /** Shell consoles: the command's exit status once it exited (known before `output` ends), else null. */
  exitStatus?(): number | null;
}

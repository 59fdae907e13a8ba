// The driver contract, modelled on Apache libcloud's NodeDriver: a small required core,
// optional capabilities declared as flags, provider states mapped into our own, typed errors.
// Every hypervisor driver implements it and passes the same conformance suite.
import type { DiskTier, ProviderKind } from "../generated/prisma/enums";

/** Power/lifecycle state as a driver reports it, mapped from the provider's own states. */
export type DriverMachineState = "RUNNING" | "STOPPED" | "PAUSED" | "PENDING" | "ERROR" | "UNKNOWN";

export type Capability = "snapshots" | "resize" | "console" | "metrics" | "migrate";

export interface MachineSpec {
  /** Orquestra's machine id: marked on the provider resource, the idempotency anchor. */
  machineId: string;
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
}

export interface DriverMachine {
  /** The provider's own id (VM moref, domain name, container id). */
  ref: string;
  machineId: string | null;
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
  getCapacity(opts?: CallOptions): Promise<DriverHostCapacity[]>;
  /** Checks the endpoint and credentials (the "Test connection" button). */
  testConnection(opts?: CallOptions): Promise<{ version?: string }>;

  resize?(ref: string, size: { vcpu: number; memoryMb: number; diskGb?: number }, opts?: CallOptions): Promise<void>;
  snapshot?(ref: string, name: string, opts?: CallOptions): Promise<DriverSnapshot>;
  revertSnapshot?(ref: string, snapshotRef: string, opts?: CallOptions): Promise<void>;
  deleteSnapshot?(ref: string, snapshotRef: string, opts?: CallOptions): Promise<void>;
  /** Moves the machine to another host of the same provider (capability "migrate"). */
  migrate?(ref: string, hostRef: string, opts?: CallOptions): Promise<void>;
  close?(): Promise<void>;
}

/** What a driver is built from: the provider row, with credentials already decrypted. */
export interface DriverConfig {
  providerId: string;
  endpoint: string;
  credentials: Record<string, string>;
  config: Record<string, unknown>;
}

// The workload half of the driver contract (issue 13): a containerised application with N
// replicas. Optional: a driver that runs workloads exposes `workloads` (Driver.workloads).
//
// The contract is level-triggered, as Kubernetes controllers are: `apply` converges the
// provider to the spec (creates what is missing, replaces replicas of another image one at a
// time, removes surplus replicas) and is idempotent, so a retried or re-run operation finds
// what an earlier attempt did instead of duplicating it. Every resource carries the ownership
// labels (workload id + installation id), the only way the engine finds and removes them.
import type { CallOptions } from "./types";

export interface WorkloadPort {
  containerPort: number;
  protocol: "TCP" | "UDP";
}

export interface WorkloadHealthCheck {
  /** Run inside the container (exit 0 = healthy). */
  command: string[];
  intervalSeconds: number;
  retries: number;
}

export interface WorkloadAutoscaling {
  minReplicas: number;
  maxReplicas: number;
  /** Target average CPU utilisation, percent of the requested CPU. */
  cpuPercent: number;
}

export interface WorkloadSpec {
  workloadId: string;
  installationId: string;
  projectId: string;
  /** A DNS-1123 label derived from the workload's name and id (container prefix, Deployment name). */
  name: string;
  image: string;
  /** Overrides the image's command; null: the image's own. */
  command: string[] | null;
  replicas: number;
  /** Limits per replica. */
  vcpu: number;
  memoryMb: number;
  ports: WorkloadPort[];
  /** Plain variables and opened secrets together (the driver does not tell them apart). */
  env: Record<string, string>;
  /** Names of the variables that are secrets (drivers that have a Secret object use it). */
  secretKeys: string[];
  healthCheck: WorkloadHealthCheck | null;
  updateStrategy: "ROLLING" | "RECREATE";
  autoscaling: WorkloadAutoscaling | null;
  /** Where it lives on providers that have namespaces (Kubernetes: one per project). */
  namespace?: string;
  /** The stack it belongs to, if any: Docker labels its containers with it (orquestra.stack-id). */
  stackId?: string | null;
}

export type ReplicaState = "RUNNING" | "STARTING" | "STOPPED" | "FAILED" | "UNKNOWN";

export interface WorkloadReplica {
  ref: string;
  name: string;
  image: string;
  state: ReplicaState;
  /** Health as the provider reports it (null: no health check). */
  healthy: boolean | null;
}

export interface WorkloadStatus {
  /** The provider's name for it (container prefix, Deployment name). */
  ref: string;
  desired: number;
  running: number;
  ready: number;
  /** Replicas already on the current image/generation. */
  updated: number;
  image: string | null;
  replicas: WorkloadReplica[];
  /** Provider conditions in plain words (Kubernetes Deployment conditions). */
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
  /** Storage driver and layer sharing where the engine reports them (Docker: overlay). */
  storage?: { driver?: string; sharedLayers?: number };
}

export interface WorkloadLogLine {
  replica: string;
  line: string;
}

export interface WorkloadEngine {
  /**
   * The provider runs its own controller that brings replicas back (Kubernetes Deployments):
   * the portal's workload reconcile only observes it (lib/workloads/reconcile-workloads.ts).
   */
  readonly selfHealing?: boolean;
  /** Converges the provider to the spec (create, scale, rolling replace); idempotent. */
  apply(spec: WorkloadSpec, opts?: CallOptions): Promise<WorkloadStatus>;
  /** Replaces every replica (rolling), keeping the spec. `generation` makes repeats idempotent. */
  restart(spec: WorkloadSpec, generation: string, opts?: CallOptions): Promise<WorkloadStatus>;
  /** The workload as it runs now, or null when nothing of it exists. */
  status(spec: Pick<WorkloadSpec, "workloadId" | "name" | "namespace">, opts?: CallOptions): Promise<WorkloadStatus | null>;
  /** The last `tail` lines of every replica. */
  logs(spec: Pick<WorkloadSpec, "workloadId" | "name" | "namespace">, tail: number, opts?: CallOptions): Promise<WorkloadLogLine[]>;
  /** Removes everything labelled with the workload id (and this installation); succeeds when gone. */
  remove(spec: Pick<WorkloadSpec, "workloadId" | "installationId" | "name" | "namespace">, opts?: CallOptions): Promise<void>;
  /** Workload ids of the resources labelled with this installation (garbage collection). */
  listOwned(installationId: string, opts?: CallOptions): Promise<string[]>;
}

/** A DNS-1123 label from a workload's name and id: stable, unique, at most 40 characters. */
export function workloadResourceName(name: string, workloadId: string): string {
  const base = name.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 30) || "app";
  return `${base}-${workloadId.replace(/-/g, "").slice(0, 8)}`;
}

// What pages and the API see of a workload (secrets by name only).
import type { WorkloadState } from "../generated/prisma/enums";
import type { WorkloadDay2Kind } from "./workload-specs";

export interface WorkloadReplicaView {
  name: string;
  image: string;
  state: string;
  healthy: boolean | null;
}

export interface WorkloadView {
  id: string;
  name: string;
  projectId: string;
  projectName: string;
  ownerEmail: string;
  image: string;
  replicas: number;
  reservedReplicas: number;
  vcpu: number;
  memoryMb: number;
  monthlyCents: number;
  offeringId: string;
  offeringName: string;
  providerId: string | null;
  providerName: string | null;
  providerKind: string | null;
  state: WorkloadState;
  externalRef: string | null;
  ports: { containerPort: number; protocol: string }[];
  env: Record<string, string>;
  secretNames: string[];
  healthCheck: unknown;
  autoscaling: unknown;
  updateStrategy: string;
  labels: Record<string, string>;
  running: number;
  ready: number;
  observedReplicas: WorkloadReplicaView[];
  observedAt: string | null;
  failureReason: string | null;
  actions: WorkloadDay2Kind[];
  createdAt: string;
  operations: { id: string; kind: string; status: string; error: string | null; createdAt: string; finishedAt: string | null }[];
}

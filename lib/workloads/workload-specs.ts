// The operation table of container workloads, the same shape as the machines' table
// (lib/orchestration/operation-specs.ts): for each kind, the states it may be requested in,
// the state the workload holds while it is queued and running, where it goes on success and
// on final failure, its params, timeout and driver idempotency key. Pure data and zod: safe
// in client bundles (the workload page shows the actions from it).
import { z } from "zod";
import type { WorkloadOperationKind, WorkloadState } from "../generated/prisma/enums";

export interface WorkloadOperationSpec {
  kind: WorkloadOperationKind;
  /** Offered to users (UI, API). */
  day2: boolean;
  label: string;
  from: readonly WorkloadState[];
  transitional: WorkloadState | null;
  onSuccess: WorkloadState | null;
  /** On final failure: a state, "from" (the state it was requested in), or unchanged (null). */
  onFailure: WorkloadState | "from" | null;
  params: z.ZodType<Record<string, unknown>>;
  timeoutMs: number;
  idempotencyKey: (op: { id: string; workloadId: string }) => string;
  cancelsQueued: boolean;
}

const MIN = 60_000;
const ALL: readonly WorkloadState[] = ["PENDING", "DEPLOYING", "RUNNING", "UPDATING", "FAILED", "DELETING", "DELETED"];
const byOperation = (op: { id: string }) => `wop:${op.id}`;

export const WORKLOAD_OPERATION_SPECS = {
  DEPLOY: {
    kind: "DEPLOY",
    day2: false,
    label: "Deploy",
    from: ["PENDING", "FAILED"],
    transitional: "DEPLOYING",
    onSuccess: "RUNNING",
    onFailure: "FAILED",
    params: z.object({}).passthrough(),
    timeoutMs: 15 * MIN,
    // The workload id: every deploy of it is the same creation (found again, never duplicated).
    idempotencyKey: (op) => op.workloadId,
    cancelsQueued: false,
  },
  SCALE: {
    kind: "SCALE",
    day2: true,
    label: "Scale",
    from: ["RUNNING"],
    transitional: "UPDATING",
    onSuccess: "RUNNING",
    onFailure: "from",
    params: z.object({ replicas: z.number().int().min(0), previousReplicas: z.number().int().min(0) }).passthrough(),
    timeoutMs: 10 * MIN,
    idempotencyKey: byOperation,
    cancelsQueued: false,
  },
  ROLLOUT: {
    kind: "ROLLOUT",
    day2: true,
    label: "Roll out",
    from: ["RUNNING"],
    transitional: "UPDATING",
    onSuccess: "RUNNING",
    onFailure: "from",
    params: z.object({ image: z.string().min(1), previousImage: z.string().min(1) }).passthrough(),
    timeoutMs: 20 * MIN,
    idempotencyKey: byOperation,
    cancelsQueued: false,
  },
  RESTART: {
    kind: "RESTART",
    day2: true,
    label: "Restart",
    from: ["RUNNING"],
    transitional: "UPDATING",
    onSuccess: "RUNNING",
    onFailure: "from",
    params: z.object({}).passthrough(),
    timeoutMs: 10 * MIN,
    idempotencyKey: byOperation,
    cancelsQueued: false,
  },
  DELETE: {
    kind: "DELETE",
    day2: true,
    label: "Delete",
    from: ["PENDING", "DEPLOYING", "RUNNING", "UPDATING", "FAILED"],
    transitional: "DELETING",
    onSuccess: "DELETED",
    onFailure: "FAILED",
    params: z.object({}).passthrough(),
    timeoutMs: 10 * MIN,
    idempotencyKey: byOperation,
    cancelsQueued: true,
  },
  CLEANUP: {
    kind: "CLEANUP",
    day2: false,
    label: "Clean up",
    // Removes whatever a failed deploy left on the provider (found by its ownership labels).
    from: ALL,
    transitional: null,
    onSuccess: null,
    onFailure: null,
    params: z.object({ providerId: z.uuid().optional(), reason: z.string().optional() }).passthrough(),
    timeoutMs: 10 * MIN,
    idempotencyKey: byOperation,
    cancelsQueued: false,
  },
} as const satisfies { readonly [K in WorkloadOperationKind]: WorkloadOperationSpec & { kind: K } };

export const workloadSpecOf = (kind: WorkloadOperationKind): WorkloadOperationSpec => WORKLOAD_OPERATION_SPECS[kind];

export type WorkloadDay2Kind = "SCALE" | "ROLLOUT" | "RESTART" | "DELETE";
export const WORKLOAD_DAY2_KINDS: readonly WorkloadDay2Kind[] = ["SCALE", "ROLLOUT", "RESTART", "DELETE"];

/** The day-2 actions the workload's state allows now (the page and the API read it). */
export function availableWorkloadActions(state: WorkloadState): WorkloadDay2Kind[] {
  return WORKLOAD_DAY2_KINDS.filter((k) => (WORKLOAD_OPERATION_SPECS[k].from as readonly WorkloadState[]).includes(state));
}

/** Where the workload goes when an operation requested in `fromState` fails for good. */
export function workloadStateAfterFailure(spec: WorkloadOperationSpec, fromState: WorkloadState | null): WorkloadState | null {
  if (spec.onFailure === null) return null;
  if (spec.onFailure === "from") return fromState === "RUNNING" ? "RUNNING" : "FAILED";
  return spec.onFailure;
}

/** Provider kinds with a workload engine (the request form offers only these). */
export const WORKLOAD_PROVIDER_KINDS = ["SIMULATOR", "DOCKER", "KUBERNETES"] as const;

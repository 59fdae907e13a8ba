// THE table of operation kinds (architecture.md "Operations and reconciliation"): for each
// kind, the machine states it may be requested in, the state it holds while queued and
// running, where it leaves the machine on success and on final failure, the driver
// capability it needs, its params schema, timeout and driver idempotency key. The machine
// state machine, the available actions, the request verbs, the API and the worker all read
// it; nothing else lists the kinds. Adding a day-2 operation = one spec here + one handler
// in operation-handlers.ts (keyed by the same enum: a missing handler is a compile error).
//
// Pure data and zod: safe in client bundles (the machine page shows actions from it).
import { z } from "zod";
import type { MachineState, OperationKind } from "../generated/prisma/enums";
import type { Capability } from "../drivers/types";

export interface OperationSpec {
  kind: OperationKind;
  /** Offered to users (UI, API) as an action on a machine; other kinds are queued by the system. */
  day2: boolean;
  /** Plain English name for messages that reach API users (the UI translates by kind). */
  label: string;
  /** States the machine may be in when the operation is requested. */
  from: readonly MachineState[];
  /** The machine's state from the request until the operation ends; null: unchanged. */
  transitional: MachineState | null;
  /** On success: a state, "from" (the state it was requested in), or null (unchanged). */
  onSuccess: MachineState | "from" | null;
  /**
   * On final failure: "from" = back to the state it was requested in when that is a resting
   * state (RUNNING, STOPPED), else FAILED (what the machine is then is not known); FAILED; or
   * unchanged (null).
   */
  onFailure: "from" | "FAILED" | null;
  /** The driver capability it needs (null: the required driver core). */
  capability: Capability | null;
  /** Operation.params, as the request verbs write them (fromState is added by the engine). */
  params: z.ZodType<Record<string, unknown>>;
  /** Deadline of the whole driver work of one attempt (provider.config.timeoutMs may override). */
  timeoutMs: number;
  /** Passed to the driver on every attempt of one operation: a re-run finds the earlier result. */
  idempotencyKey: (op: { id: string; machineId: string }) => string;
  /** When requested, the machine's queued operations (not one already running) are cancelled. */
  cancelsQueued: boolean;
}

const MIN = 60_000;
const noParams = z.object({}).passthrough();
const AT_REST: readonly MachineState[] = ["RUNNING", "STOPPED"];
/** Every state a machine can be deleted from: anything but an ongoing or finished delete. */
const DELETABLE: readonly MachineState[] = ["REQUESTED", "PROVISIONING", "RUNNING", "STOPPING", "STOPPED", "STARTING", "REBOOTING", "RESIZING", "FAILED"];
const byOperation = (op: { id: string }) => `op:${op.id}`;

export const OPERATION_SPECS = {
  PROVISION: {
    kind: "PROVISION",
    day2: false,
    label: "Provision",
    // FAILED: provisioning a failed machine again (the same machine id, so whatever an earlier
    // attempt created is found and adopted instead of duplicated).
    from: ["REQUESTED", "FAILED"],
    transitional: "PROVISIONING",
    onSuccess: "RUNNING",
    onFailure: "FAILED",
    capability: null,
    params: noParams,
    timeoutMs: 15 * MIN,
    // The machine id: every provision of this machine, on any attempt, is the same creation.
    idempotencyKey: (op) => op.machineId,
    cancelsQueued: false,
  },
  START: {
    kind: "START",
    day2: true,
    label: "Start",
    from: ["STOPPED"],
    transitional: "STARTING",
    onSuccess: "RUNNING",
    onFailure: "from",
    capability: null,
    params: noParams,
    timeoutMs: 5 * MIN,
    idempotencyKey: byOperation,
    cancelsQueued: false,
  },
  STOP: {
    kind: "STOP",
    day2: true,
    label: "Stop",
    from: ["RUNNING"],
    transitional: "STOPPING",
    onSuccess: "STOPPED",
    onFailure: "from",
    capability: null,
    params: z.object({ reason: z.string().optional() }).passthrough(),
    timeoutMs: 5 * MIN,
    idempotencyKey: byOperation,
    cancelsQueued: false,
  },
  REBOOT: {
    kind: "REBOOT",
    day2: true,
    label: "Reboot",
    from: ["RUNNING"],
    transitional: "REBOOTING",
    onSuccess: "RUNNING",
    onFailure: "from",
    capability: null,
    params: noParams,
    timeoutMs: 5 * MIN,
    idempotencyKey: byOperation,
    cancelsQueued: false,
  },
  RESIZE: {
    kind: "RESIZE",
    day2: true,
    label: "Resize",
    from: AT_REST,
    transitional: "RESIZING",
    onSuccess: "from",
    onFailure: "from",
    capability: "resize",
    params: z.object({ offeringId: z.uuid() }).passthrough(),
    timeoutMs: 10 * MIN,
    idempotencyKey: byOperation,
    cancelsQueued: false,
  },
  SNAPSHOT_CREATE: {
    kind: "SNAPSHOT_CREATE",
    day2: true,
    label: "Taking snapshots",
    from: AT_REST,
    transitional: null,
    onSuccess: null,
    onFailure: null,
    capability: "snapshots",
    params: z.object({ name: z.string().min(1) }).passthrough(),
    timeoutMs: 10 * MIN,
    idempotencyKey: byOperation,
    cancelsQueued: false,
  },
  SNAPSHOT_REVERT: {
    kind: "SNAPSHOT_REVERT",
    day2: true,
    label: "Reverting to snapshots",
    from: AT_REST,
    transitional: null,
    onSuccess: null,
    onFailure: null,
    capability: "snapshots",
    params: z.object({ snapshotId: z.uuid() }).passthrough(),
    timeoutMs: 10 * MIN,
    idempotencyKey: byOperation,
    cancelsQueued: false,
  },
  SNAPSHOT_DELETE: {
    kind: "SNAPSHOT_DELETE",
    day2: true,
    label: "Deleting snapshots",
    from: AT_REST,
    transitional: null,
    onSuccess: null,
    onFailure: null,
    capability: "snapshots",
    params: z.object({ snapshotId: z.uuid() }).passthrough(),
    timeoutMs: 10 * MIN,
    idempotencyKey: byOperation,
    cancelsQueued: false,
  },
  DELETE: {
    kind: "DELETE",
    day2: true,
    label: "Delete",
    from: DELETABLE,
    transitional: "DELETING",
    onSuccess: "DELETED",
    onFailure: "from",
    capability: null,
    params: z.object({ reason: z.string().optional() }).passthrough(),
    timeoutMs: 10 * MIN,
    idempotencyKey: byOperation,
    // Nothing queued for a machine about to disappear is worth waiting for (a start retrying
    // for minutes against an unreachable host, a snapshot): it is cancelled, in order.
    cancelsQueued: true,
  },
  CLEANUP: {
    kind: "CLEANUP",
    day2: false,
    label: "Clean up",
    // Any state: it removes a provider resource the machine does not own (a leftover of a
    // failed provision, a duplicate); the machine itself is not changed.
    from: ["REQUESTED", "PROVISIONING", "RUNNING", "STOPPING", "STOPPED", "STARTING", "REBOOTING", "RESIZING", "DELETING", "DELETED", "FAILED"],
    transitional: null,
    onSuccess: null,
    onFailure: null,
    capability: null,
    params: z.object({ ref: z.string().optional(), providerId: z.uuid().optional(), reason: z.string().optional() }).passthrough(),
    timeoutMs: 10 * MIN,
    idempotencyKey: byOperation,
    cancelsQueued: false,
  },
  MIGRATE: {
    kind: "MIGRATE",
    day2: false,
    label: "Migrate",
    // A drain (or an administrator) moves a machine at rest: live when the driver can move a
    // running machine, else stopped, moved and started again (inside the owner's stop window).
    from: AT_REST,
    transitional: "MIGRATING",
    onSuccess: "from",
    onFailure: "from",
    capability: "migrate",
    params: z.object({ drainId: z.uuid().optional(), toHostId: z.uuid().optional(), reason: z.string().optional() }).passthrough(),
    timeoutMs: 30 * MIN,
    idempotencyKey: byOperation,
    cancelsQueued: false,
  },
  HA_RESTART: {
    kind: "HA_RESTART",
    day2: false,
    label: "Restart on another host",
    // Queued only once its failed host is fenced (powered off), so the machine never runs twice.
    from: ["RUNNING"],
    transitional: "RECOVERING",
    onSuccess: "RUNNING",
    // Not restarted: its host is gone, so what the machine is, is not known.
    onFailure: "FAILED",
    capability: "ha",
    params: z.object({ incidentId: z.uuid() }).passthrough(),
    timeoutMs: 15 * MIN,
    idempotencyKey: byOperation,
    cancelsQueued: false,
  },
  BACKUP: {
    kind: "BACKUP",
    day2: true,
    label: "Back up",
    from: AT_REST,
    transitional: null,
    onSuccess: null,
    onFailure: null,
    capability: "backup",
    // The Backup row is created with the operation (status PENDING).
    params: z.object({ backupId: z.uuid() }).passthrough(),
    timeoutMs: 60 * MIN,
    idempotencyKey: byOperation,
    cancelsQueued: false,
  },
  RESTORE: {
    kind: "RESTORE",
    day2: true,
    label: "Restore from a backup",
    from: AT_REST,
    transitional: "RESTORING",
    onSuccess: "from",
    onFailure: "from",
    capability: "backup",
    params: z.object({ backupId: z.uuid() }).passthrough(),
    timeoutMs: 60 * MIN,
    idempotencyKey: byOperation,
    cancelsQueued: false,
  },
} as const satisfies { readonly [K in OperationKind]: OperationSpec & { kind: K } };

export const OPERATION_KINDS = Object.keys(OPERATION_SPECS) as OperationKind[];

/** The kinds users may request (derived from the table's `day2` flags). */
export type Day2Kind = { [K in OperationKind]: (typeof OPERATION_SPECS)[K]["day2"] extends true ? K : never }[OperationKind];

/** A spec, typed loosely (for code that handles every kind alike). */
export const specOf = (kind: OperationKind): OperationSpec => OPERATION_SPECS[kind];

/** The day-2 actions, in the order the machine page shows them. */
export const DAY2_KINDS = OPERATION_KINDS.filter((k) => OPERATION_SPECS[k].day2) as Day2Kind[];

export const isDay2Kind = (k: string): k is Day2Kind => (DAY2_KINDS as string[]).includes(k);

/** States in which the machine is busy with an operation (transitional states of the table). */
export const TRANSITIONAL_STATES: readonly MachineState[] = [
  "REQUESTED",
  ...new Set(OPERATION_KINDS.map((k): MachineState | null => OPERATION_SPECS[k].transitional).filter((s): s is MachineState => s !== null)),
];

/** States a machine rests in between operations: a failed operation may go back to them. */
export const RESTING_STATES: readonly MachineState[] = ["RUNNING", "STOPPED"];

/** Where a machine goes when an operation requested in `fromState` fails for good. */
export function restoreStateAfterFailure(spec: OperationSpec, fromState: MachineState | null | undefined): MachineState | null {
  if (spec.onFailure === null) return null;
  if (spec.onFailure === "FAILED") return "FAILED";
  return fromState && RESTING_STATES.includes(fromState) ? fromState : "FAILED";
}

/** Where a machine goes when an operation requested in `fromState` succeeds. */
export function stateAfterSuccess(spec: OperationSpec, fromState: MachineState | null | undefined): MachineState | null {
  if (spec.onSuccess === null) return null;
  if (spec.onSuccess !== "from") return spec.onSuccess;
  return fromState && RESTING_STATES.includes(fromState) ? fromState : "FAILED";
}

export const OPERATION_TERMINAL = ["SUCCEEDED", "FAILED", "CANCELLED"] as const;

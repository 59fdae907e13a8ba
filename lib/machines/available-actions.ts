// Which day-2 actions a machine offers right now: allowed by the state machine, not switched
// off for its project, supported by its provider's driver. Pure, so the machine page (to
// show buttons) and the request verbs (to refuse) use the same rules.
import type { MachineState, OperationKind, ProviderKind } from "../generated/prisma/enums";
import { canTransition } from "./state-machine";
import { hasCapability } from "./capabilities";

export type Day2Kind = Exclude<OperationKind, "PROVISION" | "CLEANUP">;
export const DAY2_KINDS: readonly Day2Kind[] = ["START", "STOP", "REBOOT", "RESIZE", "SNAPSHOT_CREATE", "SNAPSHOT_REVERT", "SNAPSHOT_DELETE", "DELETE"];

/** The transitional state each action moves the machine into; snapshots keep the state. */
export const TARGET_STATE: Record<Day2Kind, MachineState | null> = {
  START: "STARTING",
  STOP: "STOPPING",
  REBOOT: "REBOOTING",
  RESIZE: "RESIZING",
  DELETE: "DELETING",
  SNAPSHOT_CREATE: null,
  SNAPSHOT_REVERT: null,
  SNAPSHOT_DELETE: null,
};

/** Snapshots are taken, reverted and removed only on a machine at rest. */
export const SNAPSHOT_STATES: readonly MachineState[] = ["RUNNING", "STOPPED"];

export const isSnapshotKind = (k: Day2Kind) => k === "SNAPSHOT_CREATE" || k === "SNAPSHOT_REVERT" || k === "SNAPSHOT_DELETE";

export type Unavailable = "state" | "disabled" | "capability";

/** null when the action is available, else why not. */
export function whyUnavailable(
  kind: Day2Kind,
  machine: { state: MachineState; providerKind: ProviderKind | null },
  disabledActions: readonly string[],
): Unavailable | null {
  if (disabledActions.includes(kind)) return "disabled";
  if (isSnapshotKind(kind) && !hasCapability(machine.providerKind, "snapshots")) return "capability";
  if (kind === "RESIZE" && !hasCapability(machine.providerKind, "resize")) return "capability";
  const target = TARGET_STATE[kind];
  if (target === null) return SNAPSHOT_STATES.includes(machine.state) ? null : "state";
  return canTransition(machine.state, target) ? null : "state";
}

export function availableActions(
  machine: { state: MachineState; providerKind: ProviderKind | null },
  disabledActions: readonly string[],
): Record<Day2Kind, Unavailable | null> {
  return Object.fromEntries(DAY2_KINDS.map((k) => [k, whyUnavailable(k, machine, disabledActions)])) as Record<Day2Kind, Unavailable | null>;
}

// The machine lifecycle, defined once. Every state change goes through `transition`;
// anything not listed here is refused with CONFLICT (never a silent overwrite).
import type { MachineState } from "../generated/prisma/enums";
import { conflict } from "../errors";

export const TRANSITIONS: Record<MachineState, readonly MachineState[]> = {
  REQUESTED: ["PROVISIONING", "FAILED", "DELETING"],
  PROVISIONING: ["RUNNING", "FAILED", "DELETING"],
  RUNNING: ["STOPPING", "REBOOTING", "RESIZING", "DELETING", "FAILED"],
  STOPPING: ["STOPPED", "RUNNING", "FAILED"],
  STOPPED: ["STARTING", "RESIZING", "DELETING", "FAILED"],
  STARTING: ["RUNNING", "STOPPED", "FAILED"],
  REBOOTING: ["RUNNING", "FAILED"],
  RESIZING: ["RUNNING", "STOPPED", "FAILED"],
  DELETING: ["DELETED", "FAILED"],
  DELETED: [],
  // A failed machine can be deleted (to release its resources) or recovered by a retry.
  FAILED: ["DELETING", "PROVISIONING", "RUNNING", "STOPPED"],
};

/** States in which an operation is under way (the machine page shows progress). */
export const BUSY_STATES: readonly MachineState[] = ["REQUESTED", "PROVISIONING", "STOPPING", "STARTING", "REBOOTING", "RESIZING", "DELETING"];

export const canTransition = (from: MachineState, to: MachineState) => TRANSITIONS[from].includes(to);

/** Returns `to` when allowed, else throws CONFLICT. */
export function transition(from: MachineState, to: MachineState): MachineState {
  if (!canTransition(from, to)) {
    throw conflict(`A machine cannot go from ${from} to ${to}`, { from, to });
  }
  return to;
}

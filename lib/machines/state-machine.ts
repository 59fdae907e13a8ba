// The machine lifecycle, derived from the operation table (lib/orchestration/operation-specs.ts)
// so that it cannot disagree with it: an operation moves a machine from each of its `from`
// states into its transitional state, and from there to its success state, back to where it
// came from, or to FAILED. Every state change goes through `transition`; anything else is
// refused with CONFLICT (never a silent overwrite).
import type { MachineState } from "../generated/prisma/enums";
import { conflict } from "../errors";
import { OPERATION_KINDS, OPERATION_SPECS, RESTING_STATES, TRANSITIONAL_STATES } from "../orchestration/operation-specs";

const ALL_STATES: readonly MachineState[] = [
  "REQUESTED",
  "PROVISIONING",
  "RUNNING",
  "STOPPING",
  "STOPPED",
  "STARTING",
  "REBOOTING",
  "RESIZING",
  "MIGRATING",
  "RECOVERING",
  "RESTORING",
  "DELETING",
  "DELETED",
  "FAILED",
];

function buildTransitions(): Record<MachineState, readonly MachineState[]> {
  const edges = new Map<MachineState, Set<MachineState>>(ALL_STATES.map((s) => [s, new Set<MachineState>()]));
  const add = (from: MachineState, to: MachineState) => {
    if (from !== to) edges.get(from)!.add(to);
  };
  for (const kind of OPERATION_KINDS) {
    const spec = OPERATION_SPECS[kind];
    const t = spec.transitional;
    if (!t) continue;
    for (const f of spec.from) {
      add(f, t);
      // Back where it was: only ever to a resting state (restoreStateAfterFailure).
      if ((spec.onSuccess === "from" || spec.onFailure === "from") && RESTING_STATES.includes(f)) add(t, f);
    }
    if (spec.onSuccess && spec.onSuccess !== "from") add(t, spec.onSuccess);
  }
  // Any state an operation holds can end in FAILED when the way back is impossible.
  for (const s of TRANSITIONAL_STATES) add(s, "FAILED");
  return Object.fromEntries(ALL_STATES.map((s) => [s, [...edges.get(s)!]])) as unknown as Record<MachineState, readonly MachineState[]>;
}

export const TRANSITIONS: Record<MachineState, readonly MachineState[]> = buildTransitions();

/** States in which an operation is under way (the machine page shows progress). */
export const BUSY_STATES: readonly MachineState[] = TRANSITIONAL_STATES;

export const canTransition = (from: MachineState, to: MachineState) => TRANSITIONS[from].includes(to);

/** Returns `to` when allowed, else throws CONFLICT. */
export function transition(from: MachineState, to: MachineState): MachineState {
  if (!canTransition(from, to)) {
    throw conflict(`A machine cannot go from ${from} to ${to}`, { from, to });
  }
  return to;
}

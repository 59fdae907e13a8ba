// The phases an operation goes through, as the worker reports them (Operation.phase, phaseStep
// of phaseSteps): real steps written when they start, not a made-up percentage. Pure: the
// machine page translates the names (machines.phases.<name>).
import type { OperationKind } from "../generated/prisma/enums";

export const PHASE_NAMES = ["preparing", "placing", "creating", "reserving", "migrating", "resizing", "working", "destroying", "finishing"] as const;
export type PhaseName = (typeof PHASE_NAMES)[number];

const GENERIC: readonly PhaseName[] = ["preparing", "working", "finishing"];

export const OPERATION_PHASES: Partial<Record<OperationKind, readonly PhaseName[]>> = {
  // Placement (host and reservation), the provider creating and booting the machine until it
  // answers with its address, then recording it (reference, address, tags, costs).
  PROVISION: ["placing", "creating", "finishing"],
  RESIZE: ["reserving", "migrating", "resizing", "finishing"],
  DELETE: ["preparing", "destroying", "finishing"],
};

export const phasesOf = (kind: OperationKind): readonly PhaseName[] => OPERATION_PHASES[kind] ?? GENERIC;

/** Step (1-based), count and the percentage reached when `phase` starts. */
export function phaseProgress(kind: OperationKind, phase: PhaseName): { step: number; steps: number; percent: number } {
  const list = phasesOf(kind);
  const i = Math.max(0, list.indexOf(phase));
  return { step: i + 1, steps: list.length, percent: Math.round((i / list.length) * 100) };
}
